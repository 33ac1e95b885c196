import type { Dict, Lang } from "@/i18n";
import { formatLongDate } from "@/lib/format";
import { replyOf, starsLabel } from "@/lib/reviews";

/** One review with the seller's reply: no hooks, so the server-rendered profile and the client pages share it. */
export function ReviewItem({ review, t, lang, heading }:
  { review: { stars?: number; text?: string; written_at?: string; reply?: unknown }; t: Dict; lang: Lang; heading?: string }) {
  const reply = replyOf(review);
  const date = (at?: string) => formatLongDate(at, lang);
  const stars = review.stars ?? 0;
  return (
    <article className="review" data-testid="review">
      {heading && <h3>{heading}</h3>}
      <p className="meta">
        <span className="stars" aria-label={starsLabel(stars, t)}>{"★".repeat(stars)}{"☆".repeat(5 - stars)}</span>{" "}
        · <time dateTime={review.written_at}>{date(review.written_at)}</time>
      </p>
      <p className="review-text">{review.text}</p>
      {reply && (
        <blockquote className="reply" data-testid="review-reply">
          <strong>{t.sellerReply}:</strong> {reply.text}
        </blockquote>
      )}
    </article>
  );
}
