import { describe, expect, it } from "vitest";
import {
  dayChip, formatCount, formatDateTime, formatDay, formatKm, formatMoney, formatMonthYear, formatRating, formatSlot,
  formatSpan, formatTime, localDay, localMinutes, nextDays,
} from "./format";
import { formatMoney as formatMoneyFromMoney, toMinorUnits } from "./money";

// Intl separates "40" and "€" with a no-break space; people read a space.
const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, " ");
const JOBS = { es: { one: "trabajo", other: "trabajos" }, en: { one: "job", other: "jobs" } };

describe("money", () => {
  it("writes whole euros without decimals, in Spanish and English", () => {
    expect(plain(formatMoney({ amount: 4000, currency: "EUR" }, "es"))).toBe("40 €");
    expect(plain(formatMoney({ amount: 4000, currency: "EUR" }, "en"))).toBe("€40");
  });

  it("keeps two decimals when there are cents", () => {
    expect(plain(formatMoney({ amount: 4050, currency: "EUR" }, "es"))).toBe("40,50 €");
    expect(plain(formatMoney({ amount: 4050, currency: "EUR" }, "en"))).toBe("€40.50");
    expect(plain(formatMoney({ amount: 5, currency: "EUR" }, "es"))).toBe("0,05 €");
  });

  it("groups thousands the Spanish way (none for four digits, a dot from five)", () => {
    expect(plain(formatMoney({ amount: 123400, currency: "EUR" }, "es"))).toBe("1234 €");
    expect(plain(formatMoney({ amount: 1234500, currency: "EUR" }, "es"))).toBe("12.345 €");
    expect(plain(formatMoney({ amount: 123450, currency: "EUR" }, "en"))).toBe("€1,234.50");
  });

  it("is nothing for a missing amount, and money.ts formats the same", () => {
    expect(formatMoney(null, "es")).toBe("");
    expect(formatMoney({ currency: "EUR" }, "es")).toBe("");
    expect(formatMoneyFromMoney({ amount: 6000, currency: "EUR" }, "es")).toBe(formatMoney({ amount: 6000, currency: "EUR" }, "es"));
    expect(toMinorUnits("40,50")).toBe(4050);
  });
});

describe("numbers and plurals", () => {
  it("writes a rating with a decimal comma in Spanish", () => {
    expect(formatRating(4, "es")).toBe("4,0");
    expect(formatRating(4.25, "es")).toBe("4,3");
    expect(formatRating(4, "en")).toBe("4.0");
    expect(formatRating(undefined, "es")).toBe("0,0");
  });

  it("writes distances with one decimal under ten kilometres", () => {
    expect(formatKm(1.43, "es")).toBe("1,4");
    expect(formatKm(12.6, "es")).toBe("13");
    expect(formatKm(1.43, "en")).toBe("1.4");
  });

  it("chooses the word by the plural rules of each language", () => {
    expect(formatCount(1, "es", JOBS.es)).toBe("1 trabajo");
    expect(formatCount(2, "es", JOBS.es)).toBe("2 trabajos");
    expect(formatCount(0, "es", JOBS.es)).toBe("0 trabajos");
    expect(formatCount(1, "en", JOBS.en)).toBe("1 job");
    expect(formatCount(0, "en", JOBS.en)).toBe("0 jobs");
    expect(plain(formatCount(12500, "es", JOBS.es))).toBe("12.500 trabajos");
  });
});

describe("dates in Europe/Madrid", () => {
  // 07:15 UTC in December is 08:15 in Madrid (CET, UTC+1); in July, 09:15 (CEST, UTC+2).
  const winter = "2026-12-07T07:15:00Z";
  const summer = "2026-07-06T07:15:00Z";

  it("writes a day and time in lower-case Spanish, not an ISO string", () => {
    expect(formatDateTime(winter, "es")).toBe("lunes, 7 de diciembre, 08:15");
    expect(formatDateTime(summer, "es")).toBe("lunes, 6 de julio, 09:15");
    expect(formatDay("2026-12-04T11:00:00Z", "es")).toBe("viernes, 4 de diciembre");
  });

  it("writes English dates the British way", () => {
    expect(formatDay(winter, "en")).toBe("Monday 7 December");
    expect(formatDateTime(winter, "en")).toMatch(/^Monday 7 December(,| at) 08:15$/);
  });

  it("reads an offset timestamp as the moment it is", () => {
    expect(formatTime("2026-12-07T08:15:00+01:00", "es")).toBe("08:15");
    expect(formatSlot("2026-12-07T08:15:00+01:00", "2026-12-07T10:15:00+01:00", "es"))
      .toBe("lunes, 7 de diciembre, 08:15–10:15");
  });

  it("honours another zone when a slot carries one", () => {
    expect(formatTime(winter, "es", "Atlantic/Canary")).toBe("07:15");
  });

  it("groups by the local day, which near midnight is not the UTC day", () => {
    expect(localDay("2026-12-06T23:30:00Z")).toBe("2026-12-07");
    expect(localDay("2026-12-06T23:30:00Z", "UTC")).toBe("2026-12-06");
  });

  it("lists the next days from today in Madrid, across a month's end", () => {
    expect(nextDays(3, new Date("2026-11-30T23:30:00Z"))).toEqual(["2026-12-01", "2026-12-02", "2026-12-03"]);
    expect(nextDays(14, new Date("2026-12-04T10:00:00Z"))).toHaveLength(14);
  });

  it("splits a day chip into its parts, without abbreviation dots", () => {
    expect(dayChip("2026-12-07T12:00:00Z", "es")).toEqual({ weekday: "lun", day: "7", month: "dic" });
    expect(dayChip("2026-12-07T12:00:00Z", "en")).toEqual({ weekday: "Mon", day: "7", month: "Dec" });
  });

  it("writes the month a member joined", () => {
    expect(formatMonthYear("2026-03-10T10:00:00Z", "es")).toBe("marzo de 2026");
    expect(formatMonthYear("2026-03-10T10:00:00Z", "en")).toBe("March 2026");
  });

  it("is empty for a missing or broken date rather than 'Invalid Date'", () => {
    expect(formatDateTime(undefined, "es")).toBe("");
    expect(formatDay("not a date", "es")).toBe("");
  });
});

describe("spans and local minutes", () => {
  const words = { hour: { one: "hora", other: "horas" }, minute: { one: "minuto", other: "minutos" } };
  it("states a policy's span in hours when whole, else minutes", () => {
    expect(formatSpan(24 * 60, "es", words)).toBe("24 horas");
    expect(formatSpan(60, "es", words)).toBe("1 hora");
    expect(formatSpan(90, "es", words)).toBe("90 minutos");
  });
  it("gives the minutes since local midnight in Madrid", () => {
    expect(localMinutes("2026-12-07T07:15:00Z")).toBe(8 * 60 + 15);
    expect(localMinutes("2026-12-07T23:30:00Z")).toBe(30);
  });
});
