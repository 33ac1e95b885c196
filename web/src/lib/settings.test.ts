import { describe, expect, it } from "vitest";
import {
  accountPatch, availabilityPatch, changedFields, profilePatch, profileValues, servicePatch, serviceValues, wholeYears,
  type Account, type Availability, type Service, type SellerProfile,
} from "./settings";

// What the API shows, with a field no form knows of yet: it must never reach a body.
const PROFILE: SellerProfile & { added_later: string } = {
  seller_id: "s1", display_name: "Carlos Fontanería", headline: "Fontanero en Madrid", bio: "Arreglo fugas.\n\nGarantía.",
  photo_url: "https://img.example.com/c.jpg", years_experience: 18, languages: ["es", "en"],
  service_areas: ["Madrid", "28001"], accepting_jobs: true, base_location: { lat: 40.4, lng: -3.7 },
  travel_radius_km: 25, rating_average: 4.5, rating_count: 2, completed_jobs: 3, member_since: "2026-01-01T00:00:00Z",
  updated_at: "2026-02-01T00:00:00Z", added_later: "x",
};
const SERVICE: Service & { added_later: string } = {
  id: "v1", seller_id: "s1", title: "Reparación de grifos", description: "Cambio cartuchos.", category: "plumbing",
  price_model: "fixed", price: { currency: "EUR", amount: 4550 }, duration_minutes: 60,
  service_areas: ["Madrid", "28001"], image_urls: ["https://img.example.com/g.jpg"], tags: ["grifos", "urgente"],
  status: "active", rating_average: 0, rating_count: 0, added_later: "x",
};
const HOURS: Availability = {
  time_zone: "Europe/Madrid", buffer_minutes: 15, time_off: [],
  weekly_hours: [{ end: "14:00", start: "08:00", weekday: "monday" }, { end: "19:00", start: "15:00", weekday: "monday" },
                 { end: "13:00", start: "09:00", weekday: "saturday" }],
};

describe("a settings form saved unchanged sends an empty PATCH", () => {
  it("seller profile", () => {
    expect(profilePatch(PROFILE, profileValues(PROFILE, "otro"))).toEqual({ body: {}, errors: null });
  });
  it("service", () => {
    expect(servicePatch(SERVICE, serviceValues(SERVICE))).toEqual({ body: {}, errors: null });
    const quote = { ...SERVICE, price_model: "quote" as const, price: null };
    expect(servicePatch(quote, serviceValues(quote))).toEqual({ body: {}, errors: null });
  });
  it("availability, whatever order the ranges were added in", () => {
    expect(availabilityPatch(HOURS, HOURS.weekly_hours as never)).toEqual({});
    expect(availabilityPatch(HOURS, [...(HOURS.weekly_hours as never[])].reverse())).toEqual({});
  });
  it("account", () => {
    const account: Account = { id: "u1", display_name: "Ana", phone: null, created_at: "2026-01-01T00:00:00Z" };
    expect(accountPatch(account, { display_name: "Ana", phone: "" })).toEqual({});
  });
});

describe("a change sends that field alone", () => {
  it("a new headline leaves the travel area, photo and every other field out", () => {
    const { body } = profilePatch(PROFILE, { ...profileValues(PROFILE, ""), headline: "Urgencias 24 h" });
    expect(body).toEqual({ headline: "Urgencias 24 h" });
  });
  it("lists compare by content", () => {
    const { body } = profilePatch(PROFILE, { ...profileValues(PROFILE, ""), languages: "es, en, fr" });
    expect(body).toEqual({ languages: ["es", "en", "fr"] });
  });
  it("a service's price in the currency it has, never its photos", () => {
    const { body } = servicePatch(SERVICE, { ...serviceValues(SERVICE), price: "50" });
    expect(body).toEqual({ price: { amount: 5000, currency: "EUR" } });
  });
  it("switching to quote sends no price", () => {
    const { body } = servicePatch(SERVICE, { ...serviceValues(SERVICE), price_model: "quote" });
    expect(body).toEqual({ price_model: "quote", price: null });
  });
  it("a new range sends the whole week, in the API's order", () => {
    const added = [...(HOURS.weekly_hours as never[]), { weekday: "tuesday" as const, start: "09:00", end: "12:00" }];
    expect(availabilityPatch(HOURS, added).weekly_hours?.map((r) => r.weekday))
      .toEqual(["monday", "monday", "tuesday", "saturday"]);
  });
  it("clearing the phone sends null", () => {
    const account: Account = { id: "u1", display_name: "Ana", phone: "+34 600" };
    expect(accountPatch(account, { display_name: "Ana", phone: " " })).toEqual({ phone: null });
  });
});

describe("what a person types", () => {
  it("years of experience that are not a whole number 0-80 are an error, never 0", () => {
    for (const text of ["abc", "", "-1", "2.5", "81", "1e1"]) {
      expect(wholeYears(text)).toBeNull();
      expect(profilePatch(PROFILE, { ...profileValues(PROFILE, ""), years_experience: text }))
        .toEqual({ body: null, errors: { years_experience: "wholeNumber" } });
    }
    expect(wholeYears(" 7 ")).toBe(7);
    expect(wholeYears("0")).toBe(0);
  });
  it("a price or duration that is not a number is an error on that field", () => {
    expect(servicePatch(SERVICE, { ...serviceValues(SERVICE), price: "mucho" }).errors).toEqual({ price: "badPrice" });
    expect(servicePatch(SERVICE, { ...serviceValues(SERVICE), duration_minutes: "1h" }).errors)
      .toEqual({ duration_minutes: "wholeNumber" });
  });
  it("the first save of a profile names the seller even if the suggested name was kept", () => {
    expect(profilePatch(null, profileValues(null, "Nueva")).body).toEqual({ display_name: "Nueva", years_experience: 0,
      headline: "", bio: "", service_areas: [], languages: [] });
  });
});

describe("changedFields", () => {
  it("compares objects whatever the order of their keys", () => {
    expect(changedFields({ a: { x: 1, y: 2 } }, { a: { y: 2, x: 1 } })).toEqual({});
    expect(changedFields({ a: null }, { a: undefined as string | undefined })).toEqual({});
    expect(changedFields({ a: [1] }, { a: [1, 2] })).toEqual({ a: [1, 2] });
  });
});
