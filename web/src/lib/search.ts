import { toMinorUnits } from "./money";

/** Everything a search can say, as it lives in the page's URL (prices in euros, as people type them). */
export interface SearchState {
  q: string;
  categories: string[];
  minPrice: string;
  maxPrice: string;
  /** the zone as typed: a postal code or a city, resolved by the API (`near`) */
  near: string;
  /** the browser's location, instead of a typed zone */
  lat: string;
  lng: string;
  /** YYYY-MM-DD, the day the job is wanted */
  availableOn: string;
  partOfDay: string;
  minRating: string;
  priceModel: string;
  sort: string;
  page: number;
}

export const SORTS = ["relevance", "distance", "newest", "price_asc", "price_desc", "rating"] as const;
export const PRICE_MODELS = ["fixed", "hourly", "quote"] as const;
export const PARTS_OF_DAY = ["morning", "afternoon", "evening"] as const;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
export const PAGE_SIZE = 12;

type Params = Record<string, string | string[] | undefined>;

function first(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value[0] : value)?.trim() ?? "";
}

function all(value: string | string[] | undefined): string[] {
  return (Array.isArray(value) ? value : value ? [value] : []).map((v) => v.trim()).filter(Boolean);
}

/** A latitude or longitude as the URL carries it, rounded to ~100 m (a person's home is not sent more exactly). */
function coordinate(text: string, limit: number): string {
  const value = Number(text);
  return text && Number.isFinite(value) && Math.abs(value) <= limit ? String(Math.round(value * 1000) / 1000) : "";
}

/** Whether the search is from a place (typed or the browser's), so results have a distance. */
export function hasPlace(state: SearchState): boolean {
  return Boolean((state.lat && state.lng) || state.near.length >= 2);
}

export function parseSearch(params: Params): SearchState {
  const page = Number.parseInt(first(params.page), 10);
  const sort = first(params.sort);
  const priceModel = first(params.price_model);
  const partOfDay = first(params.part_of_day);
  const availableOn = first(params.available_on);
  return {
    q: first(params.q).slice(0, 200),
    categories: [...new Set(all(params.category))],
    minPrice: first(params.min_price),
    maxPrice: first(params.max_price),
    // "area" is what links made before the zone was resolved to a place still say.
    near: (first(params.near) || first(params.area)).slice(0, 80),
    lat: coordinate(first(params.lat), 90),
    lng: coordinate(first(params.lng), 180),
    availableOn: DAY.test(availableOn) ? availableOn : "",
    partOfDay: (PARTS_OF_DAY as readonly string[]).includes(partOfDay) ? partOfDay : "",
    minRating: first(params.min_rating),
    priceModel: (PRICE_MODELS as readonly string[]).includes(priceModel) ? priceModel : "",
    sort: (SORTS as readonly string[]).includes(sort) ? sort : "",
    page: Number.isFinite(page) && page > 0 ? Math.min(page, 1000) : 1,
  };
}

/** The page's URL for a search: empty filters are left out so shared links stay short. */
export function searchHref(state: SearchState, changes: Partial<SearchState> = {}): string {
  const next = { ...state, ...changes };
  const query = new URLSearchParams();
  if (next.q) query.set("q", next.q);
  for (const category of next.categories) query.append("category", category);
  if (next.minPrice) query.set("min_price", next.minPrice);
  if (next.maxPrice) query.set("max_price", next.maxPrice);
  if (next.near) query.set("near", next.near);
  else if (next.lat && next.lng) {
    query.set("lat", next.lat);
    query.set("lng", next.lng);
  }
  if (next.availableOn) query.set("available_on", next.availableOn);
  if (next.availableOn && next.partOfDay) query.set("part_of_day", next.partOfDay);
  if (next.minRating) query.set("min_rating", next.minRating);
  if (next.priceModel) query.set("price_model", next.priceModel);
  if (next.sort) query.set("sort", next.sort);
  if (next.page > 1) query.set("page", String(next.page));
  const text = query.toString();
  return text ? `/buscar?${text}` : "/buscar";
}

export function toggleCategory(state: SearchState, slug: string): string {
  const categories = state.categories.includes(slug)
    ? state.categories.filter((c) => c !== slug)
    : [...state.categories, slug];
  return searchHref(state, { categories, page: 1 });
}

export interface ApiSearchQuery {
  q?: string;
  category?: string[];
  min_price?: number;
  max_price?: number;
  near?: string;
  lat?: number;
  lng?: number;
  available_on?: string;
  part_of_day?: (typeof PARTS_OF_DAY)[number];
  min_rating?: number;
  price_model?: "fixed" | "hourly" | "quote";
  sort?: (typeof SORTS)[number];
  page: number;
  page_size: number;
}

/** The API's query for a search; a filter that is not valid is dropped rather than failing the page. */
export function toApiQuery(state: SearchState): ApiSearchQuery {
  const query: ApiSearchQuery = { page: state.page, page_size: PAGE_SIZE };
  if (state.q) query.q = state.q;
  if (state.categories.length) query.category = state.categories;
  const min = state.minPrice ? toMinorUnits(state.minPrice) : null;
  const max = state.maxPrice ? toMinorUnits(state.maxPrice) : null;
  if (min !== null) query.min_price = min;
  if (max !== null) query.max_price = max;
  // A zone typed after the browser's location was used replaces it (the form still carries the old point).
  if (state.near.length >= 2) query.near = state.near;
  else if (state.lat && state.lng) {
    query.lat = Number(state.lat);
    query.lng = Number(state.lng);
  }
  if (state.availableOn) {
    query.available_on = state.availableOn;
    if (state.partOfDay) query.part_of_day = state.partOfDay as ApiSearchQuery["part_of_day"];
  }
  const rating = Number(state.minRating);
  if (state.minRating && rating >= 0 && rating <= 5) query.min_rating = rating;
  if (state.priceModel) query.price_model = state.priceModel as ApiSearchQuery["price_model"];
  // The API ranks by relevance only with words to rank by, and by distance only from a place.
  if (state.sort && !(state.sort === "relevance" && !state.q) && !(state.sort === "distance" && !hasPlace(state))) {
    query.sort = state.sort as ApiSearchQuery["sort"];
  }
  return query;
}

export interface PageInfo {
  total: number;
  totalPages: number;
  page: number;
}

export function parsePagination(header: string | null): PageInfo {
  try {
    const meta = JSON.parse(header ?? "{}") as { total?: number; total_pages?: number; page?: number };
    return { total: meta.total ?? 0, totalPages: meta.total_pages ?? 0, page: meta.page ?? 1 };
  } catch {
    return { total: 0, totalPages: 1, page: 1 };
  }
}
