import type { MoneyLike } from "./money";
import { minorDigits } from "./money";

type Lang = "es" | "en";
const LOCALE: Record<Lang, string> = { es: "es-ES", en: "en-GB" };

/** "60 €" when whole, "60,50 €" otherwise: how Spanish marketplaces write a price on a card. */
export function shortPrice(money: MoneyLike | null | undefined, lang: Lang = "es"): string {
  if (!money || money.amount === undefined || !money.currency) return "";
  const digits = minorDigits(money.currency);
  const value = money.amount / 10 ** digits;
  const fraction = money.amount % 10 ** digits === 0 ? 0 : digits;
  return new Intl.NumberFormat(LOCALE[lang], {
    style: "currency", currency: money.currency, minimumFractionDigits: fraction, maximumFractionDigits: fraction,
  }).format(value);
}

/** "a 1,4 km" / "1.4 km away": one decimal near, whole kilometres from 10 km. */
export function distanceText(km: number | null | undefined, lang: Lang = "es"): string {
  if (km === null || km === undefined || !Number.isFinite(km)) return "";
  const shown = Math.max(km, 0.1);
  // The API rounds to whole kilometres (a seller's base is not to be located): "a 2 km", never "a 2,0 km".
  const digits = shown < 10 && !Number.isInteger(shown) ? 1 : 0;
  const text = new Intl.NumberFormat(LOCALE[lang], { minimumFractionDigits: digits, maximumFractionDigits: digits })
    .format(shown);
  return lang === "es" ? `a ${text} km` : `${text} km away`;
}

/** "4,8" / "4.8". */
export function ratingText(average: number | undefined, lang: Lang = "es"): string {
  return new Intl.NumberFormat(LOCALE[lang], { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(average ?? 0);
}

const JOBS: Record<Lang, Record<string, string>> = {
  es: { one: "trabajo hecho", other: "trabajos hechos" },
  en: { one: "job done", other: "jobs done" },
};
const REVIEWS: Record<Lang, Record<string, string>> = {
  es: { one: "opinión", other: "opiniones" },
  en: { one: "review", other: "reviews" },
};

function counted(count: number, words: Record<Lang, Record<string, string>>, lang: Lang): string {
  const form = new Intl.PluralRules(LOCALE[lang]).select(count);
  return `${new Intl.NumberFormat(LOCALE[lang]).format(count)} ${words[lang][form] ?? words[lang].other}`;
}

/** "1 trabajo hecho", "35 trabajos hechos". */
export function jobsText(count: number | undefined, lang: Lang = "es"): string {
  return counted(count ?? 0, JOBS, lang);
}

const SERVICES: Record<Lang, Record<string, string>> = {
  es: { one: "servicio", other: "servicios" },
  en: { one: "service", other: "services" },
};

/** "1 servicio", "2 servicios". */
export function servicesText(count: number | undefined, lang: Lang = "es"): string {
  return counted(count ?? 0, SERVICES, lang);
}

/** "1 opinión", "12 opiniones". */
export function reviewsText(count: number | undefined, lang: Lang = "es"): string {
  return counted(count ?? 0, REVIEWS, lang);
}

/** "en Manitas desde 2024" / "on Manitas since 2024": the year is what a buyer weighs. */
export function memberSinceText(iso: string | null | undefined, lang: Lang = "es"): string {
  const year = iso ? new Date(iso).getUTCFullYear() : NaN;
  if (!Number.isFinite(year)) return "";
  return lang === "es" ? `en Manitas desde ${year}` : `on Manitas since ${year}`;
}

/** "CM" for "Carlos Martín": the placeholder of a seller with no photo. */
export function initials(name: string | undefined): string {
  const words = (name ?? "").trim().split(/\s+/).filter(Boolean);
  return ((words[0]?.[0] ?? "") + (words.length > 1 ? (words[words.length - 1]?.[0] ?? "") : "")).toUpperCase() || "?";
}
