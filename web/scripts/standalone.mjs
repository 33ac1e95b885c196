// After `next build`: the standalone output gets what Next leaves out of it (the hashed assets, public/) and the
// server that serves them (server.mjs), so .next/standalone is the whole deployable web front end.
import { cpSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const web = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const out = path.join(web, ".next", "standalone");
for (const [from, to] of [[".next/static", ".next/static"], ["public", "public"]]) {
  rmSync(path.join(out, to), { recursive: true, force: true });
  cpSync(path.join(web, from), path.join(out, to), { recursive: true });
}
cpSync(path.join(web, "server.mjs"), path.join(out, "server.mjs"));
