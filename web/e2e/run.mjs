// Starts the whole marketplace on free ports (python -m devtools.e2e_stack), runs the end-to-end tests (or the
// benchmark) against it, and stops the stack whatever happens (exit, failure, Ctrl-C).
import { spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import { createInterface } from "node:readline";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
// Every e2e/*.test.mjs file, in name order: one file per journey keeps parallel work out of each other's way.
const testFiles = () => readdirSync(here).filter((name) => name.endsWith(".test.mjs")).sort().map((name) => path.join(here, name));
const repo = path.resolve(here, "../..");
const python = process.env.PYTHON ?? path.join(repo, ".venv/bin/python");

const stack = spawn(python, ["-m", "devtools.e2e_stack"], { cwd: repo, stdio: ["ignore", "pipe", "inherit"], detached: false });
let stopping = false;
function stopStack() {
  if (stopping || stack.exitCode !== null) return;
  stopping = true;
  stack.kill("SIGTERM");
}
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => { stopStack(); process.exit(130); });
process.on("exit", stopStack);

const urls = await new Promise((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error("the stack was not ready after 240s")), 240_000);
  stack.on("exit", (code) => reject(new Error(`the stack exited with code ${code} before it was ready`)));
  createInterface({ input: stack.stdout }).once("line", (line) => { clearTimeout(timer); resolve(JSON.parse(line)); });
}).catch((error) => { console.error(String(error)); stopStack(); process.exit(1); });

console.log(`stack ready: web ${urls.web}, api ${urls.api} (logs: ${urls.logs})`);
// `run.mjs --script file.mjs` runs a plain script (the benchmark) against the stack instead of the tests.
const args = process.argv.slice(2);
const nodeArgs = args[0] === "--script" ? args.slice(1)
  : ["--test", "--test-concurrency=1", ...(args.length ? args : testFiles())];
const tests = spawn(process.execPath, nodeArgs, {
  stdio: "inherit", env: { ...process.env, E2E_WEB: urls.web, E2E_API: urls.api, E2E_SQUARE: urls.square, E2E_MAILDIR: urls.maildir },
});
const code = await new Promise((resolve) => tests.on("exit", (c) => resolve(c ?? 1)));
stopStack();
await new Promise((resolve) => (stack.exitCode !== null ? resolve() : stack.on("exit", resolve)));
process.exit(code);
