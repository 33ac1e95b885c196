/**
 * Every number, price, date and count a person reads goes through here, so the whole site speaks one
 * Spanish (es-ES) and one English (en-GB): "40 €" / "€40", "★ 4,0", "lunes, 7 de diciembre, 08:15",
 * "1 trabajo" / "2 trabajos". Pages never slice ISO strings or call toFixed for people.
 */
import type { Lang } from "@/i18n";

export const LOCALES: Record<Lang, string> = { es: "es-ES", en: "en-GB" };
/** The marketplace's own zone: dates without a zone of their own (a slot carries one) are shown here. */
export const DEFAULT_ZONE = "Europe/Madrid";

export interface MoneyLike {
  amount?: number;
  currency?: string;
}

const DIGITS: Record<string, number> = { JPY: 0, CLP: 0 };

export function minorDigits(currency: string): number {
  return DIGITS[currency] ?? 2;
}

/**
 * Money travels as integer minor units; only here does it become a decimal, for people. Whole amounts
 * drop the decimals, as Spanish marketplaces write them ("60 €"); others keep both ("40,50 €").
 */
export function formatMoney(money: MoneyLike | null | undefined, lang: Lang = "es"): string {
  if (!money || money.amount === undefined || money.amount === null || !money.currency) return "";
  const digits = minorDigits(money.currency);
  const whole = money.amount % 10 ** digits === 0;
  return new Intl.NumberFormat(LOCALES[lang], {
    style: "currency", currency: money.currency,
    minimumFractionDigits: whole ? 0 : digits, maximumFractionDigits: whole ? 0 : digits,
  }).format(money.amount / 10 ** digits);
}

export function formatNumber(value: number, lang: Lang, fractionDigits?: number): string {
  const options = fractionDigits === undefined ? {} : { minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits };
  return new Intl.NumberFormat(LOCALES[lang], options).format(value);
}

/** A star average, always with one decimal: "4,0" (es), "4.0" (en). */
export function formatRating(average: number | null | undefined, lang: Lang): string {
  return formatNumber(average ?? 0, lang, 1);
}

/** "a 1,4 km" needs the number only: "1,4" (es), "1.4" (en), one decimal under 10 km, none above. */
export function formatKm(km: number, lang: Lang): string {
  return formatNumber(km, lang, km < 10 ? 1 : 0);
}

export interface PluralForms {
  one: string;
  other: string;
}

/** The word for a count, chosen by the language's plural rules ("trabajo" for 1, "trabajos" otherwise). */
export function pluralWord(count: number, lang: Lang, forms: PluralForms): string {
  return new Intl.PluralRules(LOCALES[lang]).select(count) === "one" ? forms.one : forms.other;
}

/** "1 trabajo", "2 trabajos", "1.250 trabajos". */
export function formatCount(count: number, lang: Lang, forms: PluralForms): string {
  return `${formatNumber(count, lang)} ${pluralWord(count, lang, forms)}`;
}

function toDate(value: string | Date | null | undefined): Date | null {
  if (!value) return null;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

function dateFormat(value: string | Date | null | undefined, lang: Lang, zone: string | undefined,
                    options: Intl.DateTimeFormatOptions): string {
  const date = toDate(value);
  if (!date) return "";
  return new Intl.DateTimeFormat(LOCALES[lang], { ...options, timeZone: zone || DEFAULT_ZONE }).format(date);
}

/** "lunes, 7 de diciembre, 08:15" / "Monday 7 December at 08:15". */
export function formatDateTime(value: string | Date | null | undefined, lang: Lang, zone?: string): string {
  return dateFormat(value, lang, zone, { weekday: "long", day: "numeric", month: "long", hour: "2-digit", minute: "2-digit" });
}

/** "lunes, 7 de diciembre" / "Monday 7 December". */
export function formatDay(value: string | Date | null | undefined, lang: Lang, zone?: string): string {
  return dateFormat(value, lang, zone, { weekday: "long", day: "numeric", month: "long" });
}

/** "7 dic 2026, 08:15": short, for lists and timelines where the weekday adds nothing. */
export function formatShortDateTime(value: string | Date | null | undefined, lang: Lang, zone?: string): string {
  return dateFormat(value, lang, zone, { day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit" });
}

/** "7 de diciembre de 2026". */
export function formatLongDate(value: string | Date | null | undefined, lang: Lang, zone?: string): string {
  return dateFormat(value, lang, zone, { day: "numeric", month: "long", year: "numeric" });
}

/** "diciembre de 2026" / "December 2026" (member since...). */
export function formatMonthYear(value: string | Date | null | undefined, lang: Lang, zone?: string): string {
  return dateFormat(value, lang, zone, { month: "long", year: "numeric" });
}

/** "08:15". */
export function formatTime(value: string | Date | null | undefined, lang: Lang, zone?: string): string {
  return dateFormat(value, lang, zone, { hour: "2-digit", minute: "2-digit" });
}

/** "lunes, 7 de diciembre, 08:15–10:15". */
export function formatSlot(start: string | null | undefined, end: string | null | undefined, lang: Lang, zone?: string): string {
  const from = formatDateTime(start, lang, zone);
  const until = formatTime(end, lang, zone);
  return from && until ? `${from}–${until}` : from;
}

/** The parts of a day chip in a strip of days: "lun" "7" "dic". */
export function dayChip(value: string | Date, lang: Lang, zone?: string): { weekday: string; day: string; month: string } {
  const parts = toDate(value)
    ? new Intl.DateTimeFormat(LOCALES[lang], { weekday: "short", day: "numeric", month: "short", timeZone: zone || DEFAULT_ZONE })
      .formatToParts(toDate(value) as Date)
    : [];
  const part = (type: string) => (parts.find((p) => p.type === type)?.value ?? "").replace(".", "");
  return { weekday: part("weekday"), day: part("day"), month: part("month") };
}

/** The calendar day ("2026-12-07") of a moment in a zone: how slots are grouped into days. */
export function localDay(value: string | Date | null | undefined, zone?: string): string {
  const date = toDate(value);
  if (!date) return "";
  // en-CA writes dates as YYYY-MM-DD; the language of the result does not matter here, only its shape.
  return new Intl.DateTimeFormat("en-CA", { year: "numeric", month: "2-digit", day: "2-digit", timeZone: zone || DEFAULT_ZONE })
    .format(date);
}

/** The next ``count`` calendar days in a zone, today first, as "YYYY-MM-DD". */
export function nextDays(count: number, now: Date = new Date(), zone?: string): string[] {
  const first = localDay(now, zone);
  const [y = 1970, m = 1, d = 1] = first.split("-").map(Number);
  return Array.from({ length: count }, (_, i) => new Date(Date.UTC(y, m - 1, d + i, 12)).toISOString().slice(0, 10));
}

/** A "YYYY-MM-DD" day at noon UTC, which is that same day in every European zone: safe to format as a day. */
export function dayAtNoon(day: string): Date {
  return new Date(`${day}T12:00:00Z`);
}

/** Minutes since local midnight: which part of the day a time falls in. */
export function localMinutes(value: string | Date | null | undefined, zone?: string): number {
  const date = toDate(value);
  if (!date) return 0;
  const parts = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: zone || DEFAULT_ZONE })
    .formatToParts(date);
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return part("hour") * 60 + part("minute");
}

/** "24 horas", "1 hora", "90 minutos": a span of time as the policy states it. */
export function formatSpan(minutes: number, lang: Lang, words: { hour: PluralForms; minute: PluralForms }): string {
  return minutes % 60 === 0 ? formatCount(minutes / 60, lang, words.hour) : formatCount(minutes, lang, words.minute);
}
