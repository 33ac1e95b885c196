export interface MoneyLike {
  amount?: number;
  currency?: string;
}

const DIGITS: Record<string, number> = { JPY: 0, CLP: 0 };

export function minorDigits(currency: string): number {
  return DIGITS[currency] ?? 2;
}

/** Money travels as integer minor units; only here does it become a decimal, for people. */
export function formatMoney(money: MoneyLike | null | undefined, lang: "es" | "en" = "es"): string {
  if (!money || money.amount === undefined || !money.currency) return "";
  const digits = minorDigits(money.currency);
  return new Intl.NumberFormat(lang === "es" ? "es-ES" : "en-GB", {
    style: "currency", currency: money.currency, minimumFractionDigits: digits, maximumFractionDigits: digits,
  }).format(money.amount / 10 ** digits);
}

/** "45,50" or "45.5" (what a person types) to 4550 minor units; null when it is not a price. */
export function toMinorUnits(text: string, currency = "EUR"): number | null {
  const cleaned = text.trim().replace(/\s/g, "").replace(",", ".");
  if (!/^\d+(\.\d{0,2})?$/.test(cleaned)) return null;
  const [whole, fraction = ""] = cleaned.split(".");
  const digits = minorDigits(currency);
  return Number(whole) * 10 ** digits + Number((fraction + "00").slice(0, digits) || 0);
}
