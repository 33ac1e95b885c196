import { describe, expect, it } from "vitest";
import { safeRelativePath } from "./safe-path";

describe("safeRelativePath", () => {
  it("keeps a path of this site with its query", () => {
    expect(safeRelativePath("/pedidos/abc?x=1")).toBe("/pedidos/abc?x=1");
    expect(safeRelativePath("/buscar?q=fontaner%C3%ADa")).toBe("/buscar?q=fontaner%C3%ADa");
  });

  it.each(["//evil.example", "/\\evil.example", "/\\/evil.example", "/\t/evil.example", "/\n/evil.example",
           "https://evil.example", "javascript:alert(1)", "evil.example", "", null, undefined])(
    "refuses %j, which a browser would take elsewhere", (value) => {
      expect(safeRelativePath(value)).toBe("/");
    });
});
