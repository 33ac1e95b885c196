import type { Metadata } from "next";
import Link from "next/link";
import { SearchHints } from "@/components/search-hints";
import { ServiceCard } from "@/components/service-card";
import { SearchForm } from "@/components/search-form";
import { categoryName, type Dict } from "@/i18n";
import { hasPlace, parsePagination, parseSearch, searchHref, toApiQuery, toggleCategory, type SearchState } from "@/lib/search";
import { cachedCategories, serverApi, serverLang } from "@/server";

export const dynamic = "force-dynamic";

type Params = Promise<Record<string, string | string[] | undefined>>;

export async function generateMetadata({ searchParams }: { searchParams: Params }): Promise<Metadata> {
  const state = parseSearch(await searchParams);
  return { title: [state.q, state.near].filter(Boolean).join(" · ") || "Buscar servicios" };
}

function search(state: SearchState) {
  return serverApi().GET("/services", { params: { query: toApiQuery(state) } }).catch(() => null);
}

/** What to tell a person whose search the API refused: the place or the day it could not use. */
function refusal(error: unknown, t: Dict): string {
  const field = JSON.stringify(error ?? "");
  if (field.includes("near") || field.includes("unknown_place")) return t.unknownPlace;
  if (field.includes("available_on")) return t.badDay;
  return t.searchFailed;
}

/**
 * Rendered whole on the server, results included, before the first byte: the page reads the same with scripts
 * off (a streamed block behind a "Cargando…" fallback stayed hidden without them), and the API answers a page
 * of search in a few milliseconds, so there is little to gain from streaming it.
 */
export default async function SearchPage({ searchParams }: { searchParams: Params }) {
  const state = parseSearch(await searchParams);
  const [result, categories, { lang, t }] = await Promise.all([search(state), cachedCategories(), serverLang()]);
  const names = new Map(categories.map((c) => [c.slug, categoryName(c, lang)]));
  const facets = new Map((result?.data?.facets?.categories ?? []).map((f) => [f.slug, f.count]));
  const pages = parsePagination(result?.response.headers.get("X-Pagination") ?? null);
  const items = result?.data?.items ?? [];
  const failed = result === null || !result.data;
  const place = state.near || (state.lat && state.lng ? t.myLocation : "");
  return (
    <div className="search-page">
      <h1 className="sr-only">{t.search}</h1>
      <SearchForm id="search" state={state} t={t} filters />
      <section className="results" aria-labelledby="results-title">
        <h2 id="results-title" className="sr-only">{t.resultsTitle}</h2>
        <nav aria-label={t.categories} className="chips-scroll">
          <ul className="chips">
            {categories.map((c) => {
              const on = state.categories.includes(c.slug ?? "");
              return (
                <li key={c.slug}>
                  <Link className={on ? "chip on" : "chip"} aria-current={on ? "true" : undefined} href={toggleCategory(state, c.slug ?? "")}>
                    {names.get(c.slug)} <small data-testid={`facet-${c.slug}`}>{facets.get(c.slug) ?? 0}</small>
                  </Link>
                </li>
              );
            })}
          </ul>
        </nav>
        {failed && <p className="form-error" role="alert">{result === null ? t.searchFailed : refusal(result.error, t)}</p>}
        {!failed && (
          <p className="count" role="status">
            <span data-testid="result-count">{pages.total}</span> {t.results}
            {hasPlace(state) && place ? <> {t.resultsNear} <strong>{place}</strong></> : null}
          </p>
        )}
        {items.length === 0 && !failed && <p>{t.noResults}</p>}
        {items.length === 0 && !failed && result?.data?.hints &&
          <SearchHints hints={result.data.hints} state={state} names={names} t={t} />}
        <div className="grid">
          {items.map((s) => <ServiceCard key={s.id} service={s} t={t} lang={lang} categoryLabel={names.get(s.category) ?? s.category ?? ""} />)}
        </div>
        {pages.totalPages > 1 && (
          <nav className="pagination" aria-label={t.page}>
            {state.page > 1 && <Link rel="prev" href={searchHref(state, { page: state.page - 1 })}>{t.previous}</Link>}
            <span>{t.page} {state.page} {t.of} {pages.totalPages}</span>
            {state.page < pages.totalPages && <Link rel="next" href={searchHref(state, { page: state.page + 1 })}>{t.next}</Link>}
          </nav>
        )}
      </section>
    </div>
  );
}
