import Link from "next/link";
import { CategoryIcon, categoryHue } from "@/components/category-icon";
import { SearchForm } from "@/components/search-form";
import { categoryName } from "@/i18n";
import { servicesText } from "@/lib/card-format";
import { ACCOUNT_DELETED } from "@/lib/my-data";
import { parseSearch } from "@/lib/search";
import { cachedCategories, serverLang } from "@/server";

export const dynamic = "force-dynamic";

function Check() {
  return (
    <svg aria-hidden="true" width="26" height="26" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2">
      <path d="M12 2l8 3v6c0 5-3.5 9-8 11-4.5-2-8-6-8-11V5z M8.5 12l2.5 2.5 4.5-5" />
    </svg>
  );
}

export default async function Home({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { lang, t } = await serverLang();
  // Where a deleted account lands (the my-data page's last step), signed out.
  const deleted = (await searchParams)[ACCOUNT_DELETED.param] === ACCOUNT_DELETED.value;
  const categories = await cachedCategories();
  // The categories people can book now first; the others stay, so the taxonomy reads whole.
  const ordered = [...categories].sort((a, b) => (b.active_services ?? 0) - (a.active_services ?? 0));
  const steps = [[t.how1Title, t.how1], [t.how2Title, t.how2], [t.how3Title, t.how3]];
  const trust = [[t.trustPay, t.trustPayText], [t.trustReviews, t.trustReviewsText], [t.trustPros, t.trustProsText]];
  return (
    <>
      {deleted && <p className="form-ok notice" role="status">{t.accountDeleted}</p>}
      <section className="hero" aria-labelledby="hero-title">
        <h1 id="hero-title">{t.heroTitle}</h1>
        <p className="lead">{t.heroLead}</p>
        <SearchForm id="home-search" state={parseSearch({})} t={t} filters={false} />
      </section>

      <section className="home-section" aria-labelledby="categories-title">
        <h2 id="categories-title">{t.browseCategories}</h2>
        <ul className="category-tiles">
          {ordered.map((category) => {
            const hue = categoryHue(category.slug);
            return (
              <li key={category.slug}>
                <Link href={`/buscar?category=${category.slug}`} className="tile">
                  <span className="tile-icon" style={{ background: `hsl(${hue} 55% 92%)`, color: `hsl(${hue} 50% 26%)` }}>
                    <CategoryIcon slug={category.slug} />
                  </span>
                  <span className="tile-name">{categoryName(category, lang)}</span>
                  <small>{servicesText(category.active_services, lang)}</small>
                </Link>
              </li>
            );
          })}
        </ul>
      </section>

      <section className="home-section" aria-labelledby="how-title">
        <h2 id="how-title">{t.howTitle}</h2>
        <ol className="steps">
          {steps.map(([title, text], n) => (
            <li key={title}><span className="step-number" aria-hidden="true">{n + 1}</span><h3>{title}</h3><p>{text}</p></li>
          ))}
        </ol>
      </section>

      <section className="home-section trust" aria-labelledby="trust-title">
        <h2 id="trust-title">{t.trustTitle}</h2>
        <ul className="trust-list">
          {trust.map(([title, text]) => (
            <li key={title}><Check /><div><h3>{title}</h3><p>{text}</p></div></li>
          ))}
        </ul>
      </section>

      <section className="home-section seller-cta" aria-labelledby="pro-title">
        <h2 id="pro-title">{t.sellerCtaTitle}</h2>
        <p>{t.sellerCta}</p>
        <Link href="/registro" className="button">{t.sellerCtaButton}</Link>
      </section>
    </>
  );
}
