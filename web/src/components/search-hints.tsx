import Link from "next/link";
import type { Schemas } from "@/api/client";
import type { Dict } from "@/i18n";
import { searchHref, type SearchState } from "@/lib/search";

type Hints = Schemas["NoMatchHints"];

/** The search page's filters each hint of GET /services can lift (the others are shown as text). */
const LIFTS: Record<string, Partial<SearchState>> = {
  price: { minPrice: "", maxPrice: "" },
  min_rating: { minRating: "" },
  price_model: { priceModel: "" },
  area: { near: "" },
};

/** When a search found nothing: what the API says would find something, as links where the page can follow them. */
export function SearchHints({ hints, state, names, t }:
  { hints: Hints; state: SearchState; names: Map<string | undefined, string>; t: Dict }) {
  // With a category chosen the API counted the same words elsewhere; without, the words found nothing anywhere
  // and it counted the categories without them.
  const wordsKept = state.categories.length > 0;
  const filterName = (name: string) => (t as Record<string, string>)[`hintFilter_${name}`] ?? name;
  const lines = [
    ...(hints.corrections ?? []).map((c) => <li key={`c-${c.typed}`}>{t.hintUnderstood} «{c.understood}»</li>),
    ...(hints.categories ?? []).map((c) => (
      <li key={`k-${c.slug}`}>
        <Link href={searchHref(state, { categories: [c.slug ?? ""], page: 1, ...(wordsKept ? {} : { q: "" }) })}>
          {t.hintCategory} {names.get(c.slug) ?? c.slug}
        </Link> ({c.count})
      </li>)),
    ...(hints.wider_radius_km ? [<li key="r">{t.hintRadius} {hints.wider_radius_km} km ({hints.wider_radius_count})</li>] : []),
    ...(hints.without_filters ?? []).map((f) => {
      const lift = LIFTS[f.filter ?? ""];
      const label = `${t.hintWithout} ${filterName(f.filter ?? "")}`;
      return <li key={`f-${f.filter}`}>{lift ? <Link href={searchHref(state, { ...lift, page: 1 })}>{label}</Link> : label} ({f.count})</li>;
    }),
  ];
  if (lines.length === 0) return null;
  return (
    <div className="search-hints" data-testid="search-hints">
      <p>{t.hintsTitle}:</p>
      <ul>{lines}</ul>
    </div>
  );
}
