import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

// tests/integration/test_web_openapi.py checks openapi.json against the API; this checks the types against it.
describe("the generated API types", () => {
  it("are what openapi-typescript makes of the committed openapi.json (run `npm run gen:api`)", () => {
    const out = path.join(mkdtempSync(path.join(tmpdir(), "schema-")), "schema.d.ts");
    const root = path.resolve(__dirname, "../..");
    execFileSync(path.join(root, "node_modules/.bin/openapi-typescript"), ["openapi.json", "--default-non-nullable", "false", "-o", out],
                 { cwd: root, stdio: "pipe" });
    expect(readFileSync(out, "utf8")).toBe(readFileSync(path.join(root, "src/api/schema.d.ts"), "utf8"));
  }, 60_000); // runs the generator in a child process: seconds on a busy 2-core machine
});
