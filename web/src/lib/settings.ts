/**
 * The bodies the settings forms PATCH (issue #27): only the fields the person changed. A field the
 * form does not know (one the API adds later) is never in the body, so saving can never erase it,
 * and saving an untouched form sends `{}`.
 */
import type { Schemas } from "@/api/client";
import { minorDigits, toMinorUnits } from "./money";

/** JSON with object keys sorted, so two equal values always read the same. */
function stable(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stable).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${stable((value as Record<string, unknown>)[k])}`).join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}

/** Keys of `next` whose value differs from `stored` (lists and objects compared by content). */
export function changedFields<T extends object>(stored: object, next: T): Partial<T> {
  const body: Partial<T> = {};
  const before = stored as Partial<T>;
  for (const key of Object.keys(next) as (keyof T)[]) {
    if (stable(next[key]) !== stable(before[key])) body[key] = next[key];
  }
  return body;
}

export const listText = (items?: string[] | null) => (items ?? []).join(", ");
const list = (text: string) => text.split(",").map((s) => s.trim()).filter(Boolean);

export type FieldErrors = Record<string, "wholeNumber" | "badPrice">;
export type Built<B> = { body: B; errors: null } | { body: null; errors: FieldErrors };

// ---- Seller profile -------------------------------------------------------------------------
export type SellerProfile = Schemas["SellerProfile"];
export type ProfilePatch = Schemas["PresentationPatch"];
export type ProfileValues = { display_name: string; headline: string; bio: string; years_experience: string;
                              service_areas: string; languages: string };

export function profileValues(profile: SellerProfile | null, fallbackName: string): ProfileValues {
  return { display_name: profile?.display_name ?? fallbackName, headline: profile?.headline ?? "",
           bio: profile?.bio ?? "", years_experience: String(profile?.years_experience ?? 0),
           service_areas: listText(profile?.service_areas), languages: listText(profile?.languages) };
}

/** A whole number of years, 0 to 80, as a person types it; null for anything else (never 0 by default). */
export function wholeYears(text: string): number | null {
  const trimmed = text.trim();
  if (!/^\d{1,2}$/.test(trimmed)) return null;
  const years = Number(trimmed);
  return years <= 80 ? years : null;
}

export function profilePatch(profile: SellerProfile | null, values: ProfileValues): Built<ProfilePatch> {
  const years = wholeYears(values.years_experience);
  if (years === null) return { body: null, errors: { years_experience: "wholeNumber" } };
  const next: ProfilePatch = { display_name: values.display_name, headline: values.headline, bio: values.bio,
                               years_experience: years, service_areas: list(values.service_areas),
                               languages: list(values.languages) };
  if (!profile) {
    // The first save creates the profile, which needs a name even if the suggested one was kept.
    return { body: { ...changedFields<ProfilePatch>({}, next), display_name: values.display_name }, errors: null };
  }
  return { body: changedFields<ProfilePatch>(profile, next), errors: null };
}

// ---- Availability ---------------------------------------------------------------------------
export type Availability = Schemas["Availability"];
export type AvailabilityPatch = Schemas["AvailabilityPatch"];
export type Range = Schemas["WorkingRange"];
export const WEEKDAYS: Range["weekday"][] = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

/** The order the API shows ranges in: by day, then start. */
export function sortedRanges(ranges: Range[]): Range[] {
  return [...ranges].sort((a, b) => WEEKDAYS.indexOf(a.weekday) - WEEKDAYS.indexOf(b.weekday)
    || a.start.localeCompare(b.start));
}

export function availabilityPatch(stored: Availability | null, ranges: Range[]): AvailabilityPatch {
  const weekly_hours = sortedRanges(ranges).map(({ weekday, start, end }) => ({ weekday, start, end }));
  // The form edits only the week: the time zone and buffer it does not show are never sent.
  return changedFields<AvailabilityPatch>({ weekly_hours: (stored?.weekly_hours ?? []) as Range[] }, { weekly_hours });
}

// ---- Services -------------------------------------------------------------------------------
export type Service = Schemas["Service"];
export type ServicePatch = Schemas["ServicePatch"];
export type ServiceValues = { title: string; description: string; category: string; price_model: string; price: string;
                              duration_minutes: string; service_areas: string; tags: string };

/** 4550 minor units to "45,50", what a person would type back. */
export function priceInput(price?: { amount?: number; currency?: string } | null): string {
  if (!price || price.amount === undefined) return "";
  const digits = minorDigits(price.currency ?? "EUR");
  return (price.amount / 10 ** digits).toFixed(digits).replace(".", ",");
}

export function serviceValues(service: Service): ServiceValues {
  return { title: service.title ?? "", description: service.description ?? "", category: service.category ?? "",
           price_model: service.price_model ?? "fixed", price: priceInput(service.price),
           duration_minutes: String(service.duration_minutes ?? ""), service_areas: listText(service.service_areas),
           tags: listText(service.tags) };
}

export function servicePatch(service: Service, values: ServiceValues): Built<ServicePatch> {
  const errors: FieldErrors = {};
  const duration = /^\d+$/.test(values.duration_minutes.trim()) ? Number(values.duration_minutes.trim()) : null;
  if (duration === null) errors.duration_minutes = "wholeNumber";
  const quote = values.price_model === "quote";
  const currency = service.price?.currency ?? "EUR";
  const amount = quote ? null : toMinorUnits(values.price, currency);
  if (!quote && amount === null) errors.price = "badPrice";
  if (Object.keys(errors).length) return { body: null, errors };
  const next: ServicePatch = {
    title: values.title, description: values.description, category: values.category,
    price_model: values.price_model as ServicePatch["price_model"],
    price: amount === null ? null : { amount, currency }, duration_minutes: duration ?? 0,
    service_areas: list(values.service_areas), tags: list(values.tags),
  };
  // Photos (image_urls) are not edited here: their own editor saves them, so this form never sends them.
  return { body: changedFields<ServicePatch>(service, next), errors: null };
}

// ---- Account (/me) --------------------------------------------------------------------------
export type Account = Schemas["Account"];
export type AccountPatch = Schemas["UpdateAccount"];

export function accountPatch(account: Account, values: { display_name: string; phone: string }): AccountPatch {
  const phone = values.phone.trim();
  return changedFields<AccountPatch>(account, { display_name: values.display_name, phone: phone === "" ? null : phone });
}
