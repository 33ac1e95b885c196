import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { SearchHints } from "@/components/search-hints";
import { SearchSuggest } from "@/components/search-suggest";
import { ServiceCard } from "@/components/service-card";
import { categoryName, type Dict, type Lang } from "@/i18n";
import { PRICE_MODELS, SORTS, parsePagination, parseSearch, searchHref, toApiQuery, toggleCategory, type SearchState } from "@/lib/search";
import { cachedCategories, serverApi, serverLang } from "@/server";

export const dynamic = "force-dynamic";

type Params = Promise<Record<string, string | string[] | undefined>>;

export async function generateMetadata({ searchParams }: { searchParams: Params }): Promise<Metadata> {
  const state = parseSearch(await searchParams);
  return { title: state.q ? `${state.q}` : "Buscar servicios" };
}

function search(state: SearchState) {
  return serverApi().GET("/services", { params: { query: toApiQuery(state) } }).catch(() => null);
}

/**
 * The page streams: the search starts first, the header and the filters (which need only the URL) go out
 * while it runs, and the results follow in the same response, so the browser fetches the styles and
 * scripts instead of waiting on the API. Crawlers still get every result in the HTML.
 */
export default async function SearchPage({ searchParams }: { searchParams: Params }) {
  const state = parseSearch(await searchParams);
  const result = search(state);
  const categories = cachedCategories();
  const { lang, t } = await serverLang();
  return (
    <div className="search-layout">
      <h1 className="sr-only">{t.search}</h1>
      <form action="/buscar" method="get" className="filters" aria-label={t.filters}>
        <div className="field">
          <label htmlFor="q">{t.searchLabel}</label>
          <SearchSuggest id="q" name="q" defaultValue={state.q} maxLength={200} placeholder={t.searchPlaceholder} />
        </div>
        {state.categories.map((c) => <input key={c} type="hidden" name="category" value={c} />)}
        <div className="field"><label htmlFor="min_price">{t.minPrice}</label>
          <input id="min_price" name="min_price" inputMode="decimal" defaultValue={state.minPrice} /></div>
        <div className="field"><label htmlFor="max_price">{t.maxPrice}</label>
          <input id="max_price" name="max_price" inputMode="decimal" defaultValue={state.maxPrice} /></div>
        <div className="field"><label htmlFor="area">{t.area}</label>
          <input id="area" name="area" defaultValue={state.area} maxLength={80} /></div>
        <div className="field"><label htmlFor="min_rating">{t.minRating}</label>
          <select id="min_rating" name="min_rating" defaultValue={state.minRating}>
            <option value="">{t.any}</option>
            {["3", "3.5", "4", "4.5"].map((r) => <option key={r} value={r}>★ {r}+</option>)}
          </select></div>
        <div className="field"><label htmlFor="price_model">{t.priceModel}</label>
          <select id="price_model" name="price_model" defaultValue={state.priceModel}>
            <option value="">{t.any}</option>
            {PRICE_MODELS.map((m) => <option key={m} value={m}>{t[m]}</option>)}
          </select></div>
        <div className="field"><label htmlFor="sort">{t.sort}</label>
          <select id="sort" name="sort" defaultValue={state.sort}>
            <option value="">{state.q ? t.sort_relevance : t.sort_newest}</option>
            {SORTS.map((s) => <option key={s} value={s}>{t[`sort_${s}`]}</option>)}
          </select></div>
        <button type="submit">{t.apply}</button>
        <Link href="/buscar">{t.clear}</Link>
      </form>
      <Suspense fallback={<section className="results" aria-busy="true"><p role="status">{t.loading}</p></section>}>
        <Results state={state} result={result} categories={categories} lang={lang} t={t} />
      </Suspense>
    </div>
  );
}

async function Results({ state, result: pending, categories: pendingCategories, lang, t }:
  { state: SearchState; result: ReturnType<typeof search>; categories: ReturnType<typeof cachedCategories>; lang: Lang; t: Dict }) {
  const [result, categories] = await Promise.all([pending, pendingCategories]);
  const names = new Map(categories.map((c) => [c.slug, categoryName(c, lang)]));
  const facets = new Map((result?.data?.facets?.categories ?? []).map((f) => [f.slug, f.count]));
  const pages = parsePagination(result?.response.headers.get("X-Pagination") ?? null);
  const items = result?.data?.items ?? [];
  return (
    <section className="results" aria-live="polite">
      <ul className="chips" aria-label={t.categories}>
        {categories.map((c) => {
          const on = state.categories.includes(c.slug ?? "");
          return (
            <li key={c.slug}>
              <Link className={on ? "chip on" : "chip"} aria-current={on ? "true" : undefined}
                    href={toggleCategory(state, c.slug ?? "")}>
                {names.get(c.slug)} <small data-testid={`facet-${c.slug}`}>{facets.get(c.slug) ?? 0}</small>
              </Link>
            </li>
          );
        })}
      </ul>
      {result === null && <p className="form-error" role="alert">{lang === "es" ? "No hemos podido buscar ahora; inténtalo de nuevo." : "The search is not available right now; try again."}</p>}
      <p className="count" data-testid="result-count">{pages.total} {t.results}</p>
      {items.length === 0 && result !== null && <p>{t.noResults}</p>}
      {items.length === 0 && result?.data?.hints && <SearchHints hints={result.data.hints} state={state} names={names} t={t} />}
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
  );
}
