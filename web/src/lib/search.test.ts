import { describe, expect, it } from "vitest";
import { parsePagination, parseSearch, searchHref, toApiQuery, toggleCategory } from "./search";

describe("search state in the URL", () => {
  it("round-trips every filter through the URL", () => {
    const state = parseSearch({ q: "fontaneria", category: ["plumbing", "cleaning"], min_price: "20", max_price: "60,5",
                                area: "Madrid", near: "28013", min_rating: "4", price_model: "fixed", sort: "price_asc", page: "2" });
    const href = searchHref(state);
    const params = new URLSearchParams(href.split("?")[1]);
    const again = parseSearch({ ...Object.fromEntries(params), category: params.getAll("category") });
    expect(again).toEqual(state);
  });

  it("leaves out empty filters and the first page", () => {
    expect(searchHref(parseSearch({ q: "", page: "1" }))).toBe("/buscar");
  });

  it("drops unknown sorts and price models, and clamps the page", () => {
    const state = parseSearch({ sort: "cheapest", price_model: "free", page: "-3" });
    expect(state.sort).toBe("");
    expect(state.priceModel).toBe("");
    expect(state.page).toBe(1);
  });

  it("toggling a category goes back to the first page", () => {
    const state = parseSearch({ category: "plumbing", page: "3" });
    expect(toggleCategory(state, "plumbing")).toBe("/buscar");
    expect(toggleCategory(state, "cleaning")).toBe("/buscar?category=plumbing&category=cleaning");
  });
});

describe("the API query", () => {
  it("sends prices in minor units", () => {
    const query = toApiQuery(parseSearch({ min_price: "20", max_price: "45,50" }));
    expect(query.min_price).toBe(2000);
    expect(query.max_price).toBe(4550);
  });

  it("drops what the API would refuse instead of failing the page", () => {
    const query = toApiQuery(parseSearch({ min_price: "abc", area: "M", min_rating: "9", sort: "relevance" }));
    expect(query).toEqual({ page: 1, page_size: 12 });
  });

  it("reads the pagination header", () => {
    expect(parsePagination('{"total": 30, "total_pages": 3, "page": 2}')).toEqual({ total: 30, totalPages: 3, page: 2 });
    expect(parsePagination(null)).toEqual({ total: 0, totalPages: 0, page: 1 });  // nothing found: no pages
  });
});

describe("place and time", () => {
  it("sends a typed zone as near, so postal codes and cities resolve to a place", () => {
    const state = parseSearch({ near: "28013" });
    expect(toApiQuery(state)).toEqual({ page: 1, page_size: 12, near: "28013" });
    expect(searchHref(state)).toBe("/buscar?near=28013");
    // Links from before say area=: they mean the same place.
    expect(toApiQuery(parseSearch({ area: "Madrid" })).near).toBe("Madrid");
  });

  it("sends the browser's location, rounded, unless a zone was typed after it", () => {
    const state = parseSearch({ lat: "40.416775", lng: "-3.70379" });
    expect(toApiQuery(state)).toMatchObject({ lat: 40.417, lng: -3.704 });
    expect(searchHref(state)).toBe("/buscar?lat=40.417&lng=-3.704");
    const typed = toApiQuery(parseSearch({ near: "Madrid", lat: "40.416775", lng: "-3.70379" }));
    expect([typed.near, typed.lat]).toEqual(["Madrid", undefined]);
    expect(parseSearch({ lat: "200", lng: "3" }).lat).toBe("");
  });

  it("asks for a day and a part of it, and sorts by distance only from a place", () => {
    const query = toApiQuery(parseSearch({ available_on: "2026-12-07", part_of_day: "morning", sort: "distance" }));
    expect(query).toEqual({ page: 1, page_size: 12, available_on: "2026-12-07", part_of_day: "morning" });
    expect(toApiQuery(parseSearch({ part_of_day: "morning" })).part_of_day).toBeUndefined();
    expect(parseSearch({ available_on: "mañana" }).availableOn).toBe("");
    expect(toApiQuery(parseSearch({ near: "28013", sort: "distance" })).sort).toBe("distance");
  });
});
