"use client";

import { useCallback, useEffect, useId, useState, type FormEvent } from "react";
import type { Schemas } from "@/api/client";
import { formErrors, networkError, type FormErrors } from "@/lib/errors";
import { formatLongDate } from "@/lib/format";
import { canReply, reviewOrNull, reviewStep, starsLabel } from "@/lib/reviews";
import { FormMessage, TextArea } from "./forms";
import { useApp } from "./providers";
import { ReviewItem } from "./review-item";

type Call = () => Promise<{ data?: unknown; error?: unknown }>;

/** Sends a form's call: the API's field errors go next to the fields, and what was typed stays. */
function useSubmit(onDone: () => void) {
  const { lang } = useApp();
  const [errors, setErrors] = useState<FormErrors | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (call: Call) => {
    setBusy(true);
    setErrors(null);
    try {
      const { data, error } = await call();
      if (data) onDone();
      else setErrors(formErrors(error, lang));
    } catch {
      setErrors(networkError(lang));
    } finally {
      setBusy(false);
    }
  };
  return { errors, busy, submit };
}

function ReviewForm({ orderId, legend, onDone }: { orderId: string; legend: string; onDone: () => void }) {
  const { api, t } = useApp();
  const [stars, setStars] = useState(0);
  const errorId = `${useId()}-stars-error`;
  const [text, setText] = useState("");
  const { errors, busy, submit } = useSubmit(onDone);
  function send(event: FormEvent) {
    event.preventDefault();
    // Nothing picked is sent as 0, so the API's own check names the field.
    void submit(() => api.POST("/orders/{order_id}/reviews", { params: { path: { order_id: orderId } }, body: { stars, text } }));
  }
  return (
    <form onSubmit={send} noValidate aria-label={legend}>
      <FormMessage errors={errors} />
      <fieldset className="stars-input" aria-describedby={errors?.fields.stars ? errorId : undefined}>
        <legend>{legend}: {t.stars}</legend>
        {[1, 2, 3, 4, 5].map((n) => (
          <label key={n}>
            <input type="radio" name="stars" value={n} checked={stars === n} onChange={() => setStars(n)} />
            <span aria-hidden="true">{"★".repeat(n)}</span><span className="sr-only">{starsLabel(n, t)}</span>
          </label>
        ))}
        {errors?.fields.stars && <p className="field-error" id={errorId} role="alert" data-testid="stars-error">{errors.fields.stars}</p>}
      </fieldset>
      <TextArea label={t.reviewText} name="text" rows={3} maxLength={2000} value={text}
                onChange={(e) => setText(e.target.value)} error={errors?.fields.text} />
      <button type="submit" disabled={busy}>{busy ? t.sending : t.sendReview}</button>
    </form>
  );
}

/** The seller's one public answer to a buyer's review. */
export function ReplyForm({ orderId, onDone }: { orderId: string; onDone: () => void }) {
  const { api, t } = useApp();
  const [text, setText] = useState("");
  const { errors, busy, submit } = useSubmit(onDone);
  return (
    <form className="reply-form" noValidate onSubmit={(event) => {
      event.preventDefault();
      void submit(() => api.POST("/orders/{order_id}/reviews/reply", { params: { path: { order_id: orderId } }, body: { text } }));
    }}>
      <FormMessage errors={errors} />
      <TextArea label={t.replyLabel} name="text" rows={2} maxLength={1000} value={text}
                onChange={(e) => setText(e.target.value)} error={errors?.fields.text} />
      <button type="submit" className="small" disabled={busy}>{busy ? t.sending : t.sendReply}</button>
    </form>
  );
}

/** On a completed order: write one's review blind, wait for the other side's, then read both (and reply). */
export function OrderReviewsPanel({ orderId, viewer }: { orderId: string; viewer: "buyer" | "seller" }) {
  const { api, t, lang } = useApp();
  const [reviews, setReviews] = useState<Schemas["OrderReviews"] | null>(null);
  const [errors, setErrors] = useState<FormErrors | null>(null);
  const load = useCallback(async () => {
    try {
      const { data, error } = await api.GET("/orders/{order_id}/reviews", { params: { path: { order_id: orderId } } });
      if (data) setReviews(data);
      else setErrors(formErrors(error, lang));
    } catch {
      setErrors(networkError(lang));
    }
  }, [api, orderId, lang]);
  useEffect(() => {
    void load();
    // The other side's review appears when they write theirs.
    const timer = setInterval(load, 5000);
    return () => clearInterval(timer);
  }, [load]);

  if (!reviews) return <section className="card"><FormMessage errors={errors} /><p>{t.loading}</p></section>;
  const step = reviewStep(reviews);
  const mine = reviewOrNull(reviews.mine);
  const theirs = reviewOrNull(reviews.theirs);
  const closes = reviews.window_closes_at
    ? formatLongDate(reviews.window_closes_at, lang) : "";
  return (
    <section className="card" aria-labelledby="reviews-title" data-testid="order-reviews">
      <h2 id="reviews-title">{t.reviewsTitle}</h2>
      {step === "write" && <>
        <p className="notice" data-testid="review-rule">{t.reviewPending}{closes && ` (${closes})`}.</p>
        <ReviewForm orderId={orderId} legend={viewer === "buyer" ? t.rateSeller : t.rateBuyer} onDone={load} />
      </>}
      {step === "closed" && <p>{t.reviewClosed}</p>}
      {mine && <ReviewItem review={mine} t={t} lang={lang} heading={t.yourReview} />}
      {step === "waiting" && <p className="notice" data-testid="review-rule">{t.reviewPending}{closes && ` (${closes})`}.</p>}
      {theirs && <ReviewItem review={theirs} t={t} lang={lang} heading={t.theirReview} />}
      {viewer === "seller" && theirs && canReply(theirs, true) && <ReplyForm orderId={orderId} onDone={load} />}
    </section>
  );
}

/** The seller's dashboard: buyers' published reviews, each answered once from here. */
export function SellerReviews() {
  const { api, t, lang, session } = useApp();
  const [page, setPage] = useState<Schemas["PublicReviewPage"] | null>(null);
  const [errors, setErrors] = useState<FormErrors | null>(null);
  const sellerId = session?.user.id;
  const load = useCallback(async () => {
    if (!sellerId) return;
    try {
      const { data, error } = await api.GET("/sellers/{seller_id}/reviews",
                                            { params: { path: { seller_id: sellerId }, query: { page_size: 50 } } });
      if (data) setPage(data);
      else setErrors(formErrors(error, lang));
    } catch {
      setErrors(networkError(lang));
    }
  }, [api, sellerId, lang]);
  useEffect(() => { void load(); }, [load]);
  return (
    <section className="card" aria-labelledby="seller-reviews-title" data-testid="seller-reviews">
      <h2 id="seller-reviews-title">{t.reviewsOfYou}</h2>
      <FormMessage errors={errors} />
      {page === null ? <p>{t.loading}</p> : (page.items ?? []).length === 0 ? <p>{t.noReviews}</p> : (
        <ul className="orders">
          {(page.items ?? []).map((review) => (
            <li key={review.order_id}>
              <ReviewItem review={review} t={t} lang={lang} />
              {canReply({ ...review, side: "buyer" }, true) && <ReplyForm orderId={review.order_id ?? ""} onDone={load} />}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
