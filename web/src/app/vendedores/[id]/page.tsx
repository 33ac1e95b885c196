import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { AskSeller } from "@/components/ask-seller";
import { ReviewItem } from "@/components/review-item";
import { SellerAvatar, ServiceCard, Stars } from "@/components/service-card";
import { jobsText, memberSinceText } from "@/lib/card-format";
import { categoryName } from "@/i18n";
import { formatCount, formatMonthYear } from "@/lib/format";
import { hoursByDay, zoneCity } from "@/lib/hours";
import { cachedCategories, serverApi, serverLang } from "@/server";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ id: string }> };

/** Reviews are secondary to the profile: a failure to read them leaves the section empty, not the page broken. */
async function reviews(id: string) {
  const { data } = await serverApi().GET("/sellers/{seller_id}/reviews", { params: { path: { seller_id: id }, query: { page_size: 10 } } })
    .catch(() => ({ data: undefined }));
  return data ?? null;
}

async function load(id: string) {
  const { data, response } = await serverApi().GET("/sellers/{seller_id}", { params: { path: { seller_id: id } } });
  if (response.status === 404 || response.status === 422) notFound();
  if (!data) throw new Error(`the API answered ${response.status}`);
  return data;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const profile = await load((await params).id);
  return { title: profile.display_name, description: profile.headline };
}

/** "es, en" as people read it: "español, inglés". */
function languageNames(codes: string[] | undefined, lang: string): string {
  const names = new Intl.DisplayNames([lang === "es" ? "es-ES" : "en-GB"], { type: "language" });
  return (codes ?? []).map((code) => { try { return names.of(code) ?? code; } catch { return code; } }).join(", ");
}

const DAYS: Record<string, [string, string]> = { mon: ["lun", "Mon"], tue: ["mar", "Tue"], wed: ["mié", "Wed"],
  thu: ["jue", "Thu"], fri: ["vie", "Fri"], sat: ["sáb", "Sat"], sun: ["dom", "Sun"] };

export default async function SellerPage({ params }: Props) {
  const { lang, t } = await serverLang();
  const { id } = await params;
  const [profile, categories, page] = await Promise.all([load(id), cachedCategories(), reviews(id)]);
  const names = new Map(categories.map((c) => [c.slug, categoryName(c, lang)]));
  const hours = hoursByDay(profile.working_hours);
  return (
    <article className="profile">
      <header className="profile-head">
        <SellerAvatar name={profile.display_name} photoUrl={profile.photo_url} size={96} t={t} />
        <div>
          <h1>{profile.display_name}</h1>
          <p className="headline" data-testid="headline">{profile.headline}</p>
          <ul className="profile-facts">
            <li>{profile.rating_count ? <Stars average={profile.rating_average} count={profile.rating_count} t={t} lang={lang} /> : t.newSeller}</li>
            <li data-testid="completed-jobs">{jobsText(profile.completed_jobs, lang)}</li>
            {profile.years_experience ? <li>{profile.years_experience} {t.yearsExperience}</li> : null}
            <li>{memberSinceText(profile.member_since, lang)}</li>
          </ul>
          {!profile.accepting_jobs && <p className="notice">{t.notAccepting}</p>}
        </div>
      </header>
      <section><p className="bio" data-testid="bio">{profile.bio}</p></section>
      <section className="facts">
        <div><h2>{t.areas}</h2><p>{profile.service_areas?.join(", ")}</p></div>
        <div><h2>{t.languages}</h2><p>{languageNames(profile.languages, lang)}</p></div>
        {/* The hours bookings use (the seller's availability), the only hours a seller sets. */}
        <div data-testid="profile-hours"><h2>{t.hours}</h2>
          {hours.length === 0 ? <p>{t.hoursNone}</p> : <>
            <ul className="hours">{hours.map((h) => (
              <li key={h.day}>{DAYS[h.day]?.[lang === "es" ? 0 : 1]} {h.ranges.join(" · ")}</li>
            ))}</ul>
            <p className="meta">{t.hoursLocal} {zoneCity(profile.working_hours_time_zone)}</p>
          </>}</div>
      </section>
      <section>
        <h2>{t.services}</h2>
        <div className="grid">
          {(profile.services ?? []).map((s) => <ServiceCard key={s.id} service={s} t={t} lang={lang} showSeller={false} categoryLabel={names.get(s.category) ?? ""} />)}
        </div>
      </section>
      <AskSeller sellerId={id} services={(profile.services ?? []).map((s) => ({ id: s.id ?? "", title: s.title ?? "" }))} />
      <section aria-labelledby="reviews-title" data-testid="profile-reviews">
        <h2 id="reviews-title">{t.reviewsTitle} {page?.total ? <small>({page.total})</small> : null}</h2>
        {page === null ? <p role="status">{t.reviewsUnavailable}</p> : (page.items ?? []).length === 0 ? <p>{t.noReviews}</p> :
          (page.items ?? []).map((review) => <ReviewItem key={review.order_id} review={review} t={t} lang={lang} />)}
      </section>
    </article>
  );
}
