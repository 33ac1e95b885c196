import Link from "next/link";
import type { Schemas } from "@/api/client";
import type { Dict, Lang } from "@/i18n";
import { distanceText, initials, jobsText, memberSinceText, ratingText, reviewsText, shortPrice } from "@/lib/card-format";
import { CategoryIcon, categoryHue } from "./category-icon";

type Service = Schemas["Service"] & { distance_km?: number | null };

export function priceText(service: Schemas["Service"], t: Dict, lang: Lang): string {
  if (service.price_model === "quote" || !service.price) return t.onQuote;
  const price = shortPrice(service.price as Schemas["Money"], lang);
  return service.price_model === "hourly" ? `${price}${t.perHourShort}` : price;
}

export function Stars({ average, count, t, lang = "es" }: { average?: number; count?: number; t: Dict; lang?: Lang }) {
  if (!count) return null;
  return (
    <span className="stars" role="img" aria-label={`${t.rating} ${ratingText(average, lang)} / 5, ${reviewsText(count, lang)}`}>
      <span aria-hidden="true">★ {ratingText(average, lang)} <small>({count})</small></span>
    </span>
  );
}

/** The seller's photo, or their initials on a colour of their own until they upload one. */
export function SellerAvatar({ name, photoUrl, size = 40, t }: { name?: string; photoUrl?: string | null; size?: number; t: Dict }) {
  if (photoUrl) {
    // eslint-disable-next-line @next/next/no-img-element
    return <img className="avatar" src={photoUrl} alt={`${t.photoOf} ${name ?? ""}`} width={size} height={size} loading="lazy" />;
  }
  const hue = [...(name ?? "")].reduce((sum, c) => sum + c.charCodeAt(0), 0) % 360;
  return (
    <span className="avatar initials" aria-hidden="true"
          style={{ width: size, height: size, fontSize: size * 0.4, background: `hsl(${hue} 45% 32%)` }}>
      {initials(name)}
    </span>
  );
}

/** The service's first photo, or its category's drawing on the category's colour. */
export function ServicePhoto({ service, label }: { service: Schemas["Service"]; label: string }) {
  const url = service.image_urls?.[0];
  if (url) {
    // eslint-disable-next-line @next/next/no-img-element
    return <img className="service-photo" src={url} alt="" loading="lazy" />;
  }
  const hue = categoryHue(service.category);
  return (
    <div className="service-photo placeholder" aria-hidden="true"
         style={{ background: `linear-gradient(135deg, hsl(${hue} 55% 92%), hsl(${hue} 45% 82%))`, color: `hsl(${hue} 50% 28%)` }}>
      <CategoryIcon slug={service.category} size={56} />
      <span>{label}</span>
    </div>
  );
}

export function ServiceCard({ service, t, lang, categoryLabel, showSeller = true }:
  { service: Service; t: Dict; lang: Lang; categoryLabel: string; showSeller?: boolean }) {
  const seller = service.seller;
  const distance = distanceText(service.distance_km, lang);
  return (
    <article className="card service" data-testid="service-card">
      <ServicePhoto service={service} label={categoryLabel} />
      <div className="service-body">
        <p className="meta category-line">
          <span>{categoryLabel}</span>
          {distance && <span className="distance" data-testid="distance">{distance}</span>}
        </p>
        <h3>{service.title}</h3>
        {showSeller && seller?.display_name && (
          <div className="seller-line">
            <SellerAvatar name={seller.display_name} photoUrl={seller.photo_url} t={t} />
            <div>
              <p className="seller-name">{seller.display_name}</p>
              <p className="meta">
                {seller.rating_count ? <Stars average={seller.rating_average} count={seller.rating_count} t={t} lang={lang} />
                  : <span className="new-seller">{t.newSeller}</span>}
                {seller.completed_jobs ? <>{" · "}<span data-testid="jobs">{jobsText(seller.completed_jobs, lang)}</span></> : null}
              </p>
              {seller.member_since && <p className="meta small">{memberSinceText(seller.member_since, lang)}</p>}
            </div>
          </div>
        )}
        {!showSeller && <p className="desc">{service.description}</p>}
        <div className="card-foot">
          <p className="price">
            <strong data-testid="price">{priceText(service, t, lang)}</strong>
            <small> · {service.duration_minutes} {t.minutes}</small>
          </p>
          <p className="actions">
            {showSeller && <Link href={`/vendedores/${service.seller_id}`} aria-label={`${t.seeProfile}: ${seller?.display_name ?? service.title}`}>{t.seeProfile}</Link>}
            <Link className="button" href={`/reservar/${service.id}`} aria-label={`${t.book}: ${service.title}`}>{t.book}</Link>
          </p>
        </div>
      </div>
    </article>
  );
}
