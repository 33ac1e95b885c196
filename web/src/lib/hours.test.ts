import { describe, expect, it } from "vitest";
import { hoursByDay, zoneCity } from "./hours";

describe("the hours a profile shows", () => {
  it("groups each day's ranges, Monday first, whatever the order they came in", () => {
    expect(hoursByDay([{ day: "sat", opens: "09:00", closes: "13:00" }, { day: "mon", opens: "15:00", closes: "19:00" },
                       { day: "mon", opens: "08:00", closes: "14:00" }]))
      .toEqual([{ day: "mon", ranges: ["08:00–14:00", "15:00–19:00"] }, { day: "sat", ranges: ["09:00–13:00"] }]);
    expect(hoursByDay(undefined)).toEqual([]);
  });
  it("names the zone's city", () => {
    expect(zoneCity("Europe/Madrid")).toBe("Madrid");
    expect(zoneCity("America/Argentina/Buenos_Aires")).toBe("Buenos Aires");
    expect(zoneCity(null)).toBe("");
  });
});
