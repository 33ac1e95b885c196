import Link from "next/link";
import type { Dict } from "@/i18n";
import { PARTS_OF_DAY, PRICE_MODELS, SORTS, hasPlace, type SearchState } from "@/lib/search";
import { LocateButton } from "./place-time";
import { SearchSuggest } from "./search-suggest";

/** Today in Spain, as a date input's min: the API refuses days before it. */
function today(): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Madrid" }).format(new Date());
}

/**
 * What, where and when: a plain GET form, so it works before (and without) scripts. The search page adds the
 * other filters in a sheet (a <details>: opens and closes without JavaScript), the home page leaves them out.
 */
export function SearchForm({ state, t, filters, id }: { state: SearchState; t: Dict; filters: boolean; id: string }) {
  const located = Boolean(state.lat && state.lng && !state.near);
  const advanced = Boolean(state.minPrice || state.maxPrice || state.minRating || state.priceModel || state.sort);
  return (
    <form id={id} action="/buscar" method="get" role="search" aria-label={t.search} className="searchbar">
      <div className="sb-field sb-what">
        <label htmlFor={`${id}-q`}>{t.searchLabel}</label>
        <SearchSuggest id={`${id}-q`} name="q" defaultValue={state.q} maxLength={200} placeholder={t.searchPlaceholder} />
      </div>
      <div className="sb-field sb-where">
        <label htmlFor={`${id}-near`}>{t.whereLabel}</label>
        <input id={`${id}-near`} name="near" defaultValue={state.near} maxLength={80} autoComplete="postal-code"
               placeholder={located ? `📍 ${t.myLocation}` : t.wherePlaceholder} />
        {located && <><input type="hidden" name="lat" value={state.lat} /><input type="hidden" name="lng" value={state.lng} /></>}
      </div>
      <div className="sb-field sb-when">
        <label htmlFor={`${id}-day`}>{t.whenLabel}</label>
        <input id={`${id}-day`} name="available_on" type="date" min={today()} defaultValue={state.availableOn} />
      </div>
      <div className="sb-field sb-part">
        <label htmlFor={`${id}-part`}>{t.partOfDayLabel}</label>
        <select id={`${id}-part`} name="part_of_day" defaultValue={state.partOfDay}>
          <option value="">{t.anyTime}</option>
          {PARTS_OF_DAY.map((p) => <option key={p} value={p}>{t[`part_${p}`]}</option>)}
        </select>
      </div>
      {state.categories.map((c) => <input key={c} type="hidden" name="category" value={c} />)}
      <button type="submit" className="sb-submit">{t.search}</button>
      <div className="sb-extra">
        <LocateButton formId={id} />
      </div>
      {filters && (
        <details className="sheet" open={advanced}>
          <summary>
            <svg aria-hidden="true" width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2.2" strokeLinecap="round">
              <path d="M4 6h16M7 12h10M10 18h4" />
            </svg>
            {t.filters}
          </summary>
          <div className="sheet-body">
            <div className="field"><label htmlFor="min_price">{t.minPrice}</label>
              <input id="min_price" name="min_price" inputMode="decimal" defaultValue={state.minPrice} /></div>
            <div className="field"><label htmlFor="max_price">{t.maxPrice}</label>
              <input id="max_price" name="max_price" inputMode="decimal" defaultValue={state.maxPrice} /></div>
            <div className="field"><label htmlFor="min_rating">{t.minRating}</label>
              <select id="min_rating" name="min_rating" defaultValue={state.minRating}>
                <option value="">{t.any}</option>
                {["3", "3.5", "4", "4.5"].map((r) => <option key={r} value={r}>★ {r.replace(".", ",")}+</option>)}
              </select></div>
            <div className="field"><label htmlFor="price_model">{t.priceModel}</label>
              <select id="price_model" name="price_model" defaultValue={state.priceModel}>
                <option value="">{t.any}</option>
                {PRICE_MODELS.map((m) => <option key={m} value={m}>{t[m]}</option>)}
              </select></div>
            <div className="field"><label htmlFor="sort">{t.sort}</label>
              <select id="sort" name="sort" defaultValue={state.sort}>
                <option value="">{state.q ? t.sort_relevance : hasPlace(state) ? t.sort_distance : t.sort_newest}</option>
                {SORTS.filter((s) => s !== "distance" || hasPlace(state)).map((s) => <option key={s} value={s}>{t[`sort_${s}`]}</option>)}
              </select></div>
            <div className="sheet-actions">
              <button type="submit">{t.apply}</button>
              <Link href="/buscar">{t.clear}</Link>
            </div>
          </div>
        </details>
      )}
    </form>
  );
}
