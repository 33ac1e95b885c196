import Link from "next/link";
import type { Schemas } from "@/api/client";
import type { Dict, Lang } from "@/i18n";
import { formatCount, formatMoney, formatRating } from "@/lib/format";
import { ServicePhoto } from "./photos";

export function priceText(service: Schemas["Service"], t: Dict, lang: Lang): string {
  if (service.price_model === "quote" || !service.price) return t.onQuote;
  const price = formatMoney(service.price as Schemas["Money"], lang);
  return service.price_model === "hourly" ? `${price}${t.perHour}` : price;
}

export function Stars({ average, count, t, lang }: { average?: number; count?: number; t: Dict; lang: Lang }) {
  if (!count) return null;
  const reviews = formatCount(count, lang, { one: t.reviews_one, other: t.reviews_other });
  return (
    <span className="stars" aria-label={`${t.rating} ${formatRating(average, lang)} / 5, ${reviews}`}>
      ★ {formatRating(average, lang)} <small>({count})</small>
    </span>
  );
}

export function ServiceCard({ service, t, lang, categoryLabel, showSeller = true }:
  { service: Schemas["Service"]; t: Dict; lang: Lang; categoryLabel: string; showSeller?: boolean }) {
  return (
    <article className="card service" data-testid="service-card">
      <ServicePhoto photo={service.photos?.[0]} category={service.category} alt={service.title ?? ""} />
      <h3>{service.title}</h3>
      <p className="meta">{categoryLabel} · {service.duration_minutes} {t.minutes} · {service.service_areas?.join(", ")}</p>
      <p className="desc">{service.description}</p>
      <p className="price"><strong>{priceText(service, t, lang)}</strong> <Stars average={service.rating_average} count={service.rating_count} t={t} lang={lang} /></p>
      <p className="actions">
        {showSeller && <Link href={`/vendedores/${service.seller_id}`}>{t.seeProfile}</Link>}
        <Link className="button" href={`/reservar/${service.id}`} aria-label={`${t.book}: ${service.title}`}>{t.book}</Link>
      </p>
    </article>
  );
}
