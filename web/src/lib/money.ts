import { minorDigits } from "./format";

// Formatting lives in format.ts with every other number and date; these names stay importable from here.
export { formatMoney, minorDigits, type MoneyLike } from "./format";

/** "45,50" or "45.5" (what a person types) to 4550 minor units; null when it is not a price. */
export function toMinorUnits(text: string, currency = "EUR"): number | null {
  const cleaned = text.trim().replace(/\s/g, "").replace(",", ".");
  if (!/^\d+(\.\d{0,2})?$/.test(cleaned)) return null;
  const [whole, fraction = ""] = cleaned.split(".");
  const digits = minorDigits(currency);
  return Number(whole) * 10 ** digits + Number((fraction + "00").slice(0, digits) || 0);
}
