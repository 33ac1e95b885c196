import { toMinorUnits } from "./money";

/** Everything a search can say, as it lives in the page's URL (prices in euros, as people type them). */
export interface SearchState {
  q: string;
  categories: string[];
  minPrice: string;
  maxPrice: string;
  area: string;
  /** A postal code or city the API places on the map (`near`): services whose seller travels there. */
  near: string;
  minRating: string;
  priceModel: string;
  sort: string;
  page: number;
}

export const SORTS = ["relevance", "newest", "price_asc", "price_desc", "rating"] as const;
export const PRICE_MODELS = ["fixed", "hourly", "quote"] as const;
export const PAGE_SIZE = 12;

type Params = Record<string, string | string[] | undefined>;

function first(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value[0] : value)?.trim() ?? "";
}

function all(value: string | string[] | undefined): string[] {
  return (Array.isArray(value) ? value : value ? [value] : []).map((v) => v.trim()).filter(Boolean);
}

export function parseSearch(params: Params): SearchState {
  const page = Number.parseInt(first(params.page), 10);
  const sort = first(params.sort);
  const priceModel = first(params.price_model);
  return {
    q: first(params.q).slice(0, 200),
    categories: [...new Set(all(params.category))],
    minPrice: first(params.min_price),
    maxPrice: first(params.max_price),
    area: first(params.area),
    near: first(params.near).slice(0, 80),
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
  if (next.area) query.set("area", next.area);
  if (next.near) query.set("near", next.near);
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
  area?: string;
  near?: string;
  min_rating?: number;
  price_model?: "fixed" | "hourly" | "quote";
  sort?: "relevance" | "newest" | "price_asc" | "price_desc" | "rating";
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
  if (state.area.length >= 2) query.area = state.area.slice(0, 80);
  if (state.near.length >= 2) query.near = state.near;
  const rating = Number(state.minRating);
  if (state.minRating && rating >= 0 && rating <= 5) query.min_rating = rating;
  if (state.priceModel) query.price_model = state.priceModel as ApiSearchQuery["price_model"];
  // The API ranks by relevance only with words to rank by.
  if (state.sort && !(state.sort === "relevance" && !state.q)) query.sort = state.sort as ApiSearchQuery["sort"];
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
