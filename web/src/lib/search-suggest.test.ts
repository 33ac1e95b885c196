import { describe, expect, it } from "vitest";
import { moved, ordered, worthAsking } from "./search-suggest";

describe("the search box's suggestions", () => {
  it("asks only from two letters on", () => {
    expect(worthAsking("f")).toBe(false);
    expect(worthAsking(" f ")).toBe(false);
    expect(worthAsking("fo")).toBe(true);
  });

  it("puts the reader's language first, services last, and a text once", () => {
    const items = [
      { text: "plumber", kind: "trade", lang: "en" },
      { text: "fontanero", kind: "trade", lang: "es" },
      { text: "Fontanería urgente", kind: "service", lang: null, service_id: "s1" },
      { text: "Fontanería", kind: "category", lang: "es" },
      { text: "fontanero", kind: "problem", lang: "es" },
    ];
    expect(ordered(items, "es").map((s) => s.text)).toEqual(["fontanero", "Fontanería", "plumber", "Fontanería urgente"]);
    expect(ordered(items, "en").map((s) => s.text)).toEqual(["plumber", "fontanero", "Fontanería", "Fontanería urgente"]);
  });

  it("moves with the arrows, wrapping around, and stays put on other keys", () => {
    expect(moved(-1, 3, "ArrowDown")).toBe(0);
    expect(moved(2, 3, "ArrowDown")).toBe(0);
    expect(moved(0, 3, "ArrowUp")).toBe(2);
    expect(moved(-1, 3, "ArrowUp")).toBe(2);
    expect(moved(1, 3, "a")).toBe(1);
    expect(moved(0, 0, "ArrowDown")).toBe(-1);
  });
});
