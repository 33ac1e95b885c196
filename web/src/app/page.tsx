import Link from "next/link";
import { SearchSuggest } from "@/components/search-suggest";
import { categoryName } from "@/i18n";
import { ACCOUNT_DELETED } from "@/lib/my-data";
import { cachedCategories, serverLang } from "@/server";

export const dynamic = "force-dynamic";

export default async function Home({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { lang, t } = await serverLang();
  // Where a deleted account lands (the my-data page's last step), signed out.
  const deleted = (await searchParams)[ACCOUNT_DELETED.param] === ACCOUNT_DELETED.value;
  const categories = await cachedCategories();
  return (
    <section className="hero">
      {deleted && <p className="form-ok notice" role="status">{t.accountDeleted}</p>}
      <h1>{t.tagline}</h1>
      <form action="/buscar" method="get" role="search" className="search-box">
        <label htmlFor="q">{t.searchLabel}</label>
        <div className="row">
          <SearchSuggest id="q" name="q" placeholder={t.searchPlaceholder} maxLength={200} />
          <button type="submit">{t.search}</button>
        </div>
      </form>
      <h2>{t.categories}</h2>
      <ul className="chips">
        {(categories ?? []).map((category) => (
          <li key={category.slug}>
            <Link className="chip" href={`/buscar?category=${category.slug}`}>
              {categoryName(category, lang)} <small>{category.active_services}</small>
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
