"use client";

import dynamic from "next/dynamic";
import { useParams } from "next/navigation";
import { useCallback, useEffect, useState, type FormEvent } from "react";
import { idempotencyKey, type Schemas } from "@/api/client";
import { BookingSummary, policyText } from "@/components/booking-summary";
import { FormMessage, TextArea, TextField } from "@/components/forms";
import { OrderReviewsPanel } from "@/components/reviews";
import { Thread } from "@/components/thread";
import type { Dict, Lang } from "@/i18n";
import { formErrors, networkError, type FormErrors } from "@/lib/errors";
import { formatMoney, formatSlot, formatSpan, type MoneyLike } from "@/lib/format";
import { toMinorUnits } from "@/lib/money";
import { fill, timelineLine, type Viewer } from "@/lib/timeline";
import { useRequireSession } from "@/lib/use-session";
import "../../booking.css";

const CardForm = dynamic(() => import("@/components/card-form").then((m) => m.CardForm), { ssr: false });

type Action = "accept" | "decline" | "start" | "complete" | "cancel" | "invoice" | "quote/accept" | "quote/reject";

const CANCELLABLE = ["quote_requested", "quote_offered", "pending_payment", "authorized", "accepted"];
// The order's rules (domain/orders/order.py): a quote request can be turned down too, and the invoice
// goes out any time after the payment is captured.
const DECLINABLE = ["quote_requested", "authorized"];
const INVOICEABLE = ["accepted", "in_progress", "completed"];

function statusLabel(status: unknown, t: Dict): string {
  return (t as Record<string, string>)[`status_${String(status)}`] ?? String(status);
}

const asMoney = (value: unknown) => value as MoneyLike | null | undefined;

/** What cancelling now gives back, in words, from the terms the API computed with the policy. */
function refundSentence(view: Schemas["OrderView"], t: Dict, lang: Lang): string {
  const terms = view.cancellation as Schemas["CancellationTerms"] | null | undefined;
  if (!terms) return "";
  const money = (m: unknown) => formatMoney(asMoney(m), lang);
  const refund = asMoney(terms.refund);
  const charged = asMoney(terms.charged);
  if (refund && charged) {
    if (view.viewer !== "buyer") return fill(t.cancelSellerRefund, { amount: money(refund) });
    if (refund.amount === charged.amount) return fill(t.cancelRefundAll, { amount: money(refund) });
    if (!refund.amount) return fill(t.cancelRefundNone, { charged: money(charged) });
    const policy = view.cancellation_policy as Schemas["CancellationPolicy"] | null | undefined;
    const hours = formatSpan(Number(policy?.full_refund_before_minutes ?? 0), lang,
                             { hour: { one: t.hour_one, other: t.hour_other }, minute: { one: t.minute_one, other: t.minute_other } });
    return fill(t.cancelRefundPart, { amount: money(refund), charged: money(charged), hours });
  }
  const held = asMoney(terms.held);
  return held ? fill(t.cancelHeld, { amount: money(held) }) : t.cancelNothingCharged;
}

export default function OrderPage() {
  const { id } = useParams<{ id: string }>();
  const { api, t, lang, session } = useRequireSession();
  const [view, setView] = useState<Schemas["OrderView"] | null>(null);
  const [errors, setErrors] = useState<FormErrors | null>(null);
  const [busy, setBusy] = useState(false);
  const [quotePrice, setQuotePrice] = useState("");
  const [confirming, setConfirming] = useState(false);
  const [reason, setReason] = useState("");
  const [sellerName, setSellerName] = useState("");

  const load = useCallback(async () => {
    try {
      const { data, error } = await api.GET("/orders/{order_id}", { params: { path: { order_id: id } } });
      if (data) setView(data);
      else setErrors(formErrors(error, lang));
    } catch {
      setErrors(networkError(lang));
    }
  }, [api, id, lang]);

  const sellerId = view?.order?.seller_id;
  useEffect(() => {
    if (!sellerId) return;
    api.GET("/sellers/{seller_id}", { params: { path: { seller_id: sellerId } } })
      .then(({ data }) => setSellerName(data?.display_name ?? ""))
      .catch(() => undefined);
  }, [api, sellerId]);

  useEffect(() => {
    if (!session) return;
    void load();
    // Follow the order as the other side moves it.
    const timer = setInterval(load, 3000);
    return () => clearInterval(timer);
  }, [session, load]);

  const run = useCallback(async (call: () => Promise<{ data?: unknown; error?: unknown }>) => {
    setBusy(true);
    setErrors(null);
    try {
      const { data, error } = await call();
      if (data) {
        setView(data as Schemas["OrderView"]);
        // An action's answer leaves out what the viewer may do next (the cancellation terms): read it again.
        void load();
      } else setErrors(formErrors(error, lang));
    } catch {
      setErrors(networkError(lang));
    } finally {
      setBusy(false);
    }
  }, [lang, load]);

  const act = (action: Action) => run(() => {
    const params = { params: { path: { order_id: id }, header: idempotencyKey() } };
    switch (action) {
      case "cancel": return api.POST("/orders/{order_id}/cancel", { ...params, body: { reason: reason.trim() } });
      case "decline": return api.POST("/orders/{order_id}/decline", { ...params, body: { reason: "" } });
      case "accept": return api.POST("/orders/{order_id}/accept", params);
      case "start": return api.POST("/orders/{order_id}/start", params);
      case "complete": return api.POST("/orders/{order_id}/complete", params);
      case "invoice": return api.POST("/orders/{order_id}/invoice", params);
      case "quote/accept": return api.POST("/orders/{order_id}/quote/accept", params);
      case "quote/reject": return api.POST("/orders/{order_id}/quote/reject", { ...params, body: { reason: "" } });
    }
  });

  const pay = useCallback((nonce: string) => run(() => api.POST("/orders/{order_id}/payment", {
    params: { path: { order_id: id }, header: idempotencyKey() }, body: { source_id: nonce } })), [api, id, run]);

  function offerQuote(event: FormEvent) {
    event.preventDefault();
    const amount = toMinorUnits(quotePrice);
    if (amount === null || amount < 1) {
      setErrors({ fields: { price: lang === "es" ? "Escribe un importe, por ejemplo 80 o 80,50." : "Type an amount, e.g. 80 or 80.50." } });
      return;
    }
    void run(() => api.POST("/orders/{order_id}/quote", { params: { path: { order_id: id }, header: idempotencyKey() },
                                                          body: { price: { amount, currency: "EUR" }, message: "" } }));
  }

  if (!session) return <p>{t.needLogin}</p>;
  if (!view?.order) return <section><FormMessage errors={errors} /><p>{t.loading}</p></section>;
  const order = view.order;
  const status = String(order.status);
  const seller = view.viewer === "seller";
  const buyer = view.viewer === "buyer";
  const slot = order.slot as { start?: string; end?: string; time_zone?: string } | undefined;
  const zone = slot?.time_zone;
  const breakdown = order.breakdown as Schemas["Breakdown"] | null | undefined;
  const counterpart = view.counterpart as Schemas["Contact"] | null | undefined;
  const terms = view.cancellation as Schemas["CancellationTerms"] | null | undefined;
  const policy = view.cancellation_policy as Schemas["CancellationPolicy"] | null | undefined;
  const refunded = asMoney(order.refunded);
  const canCancel = (buyer || seller) && CANCELLABLE.includes(status) && Boolean(terms);
  return (
    <article className="order">
      <header className="order-head">
        <h1>{order.service?.title}</h1>
        <span className="status-pill">{t.status}: <strong data-testid="order-status">{statusLabel(status, t)}</strong></span>
      </header>
      {/* Before paying, the summary below says all of this and more. */}
      {!(buyer && status === "pending_payment") && <dl className="details card">
        <dt>{t.when}</dt><dd>{formatSlot(slot?.start, slot?.end, lang, zone)}</dd>
        <dt>{t.address}</dt><dd>{order.address}</dd>
        {!seller && <><dt>{t.orderSeller}</dt><dd>{counterpart?.name || sellerName}</dd></>}
        {seller && counterpart && <><dt>{t.orderCustomer}</dt><dd>{counterpart.name}</dd></>}
        {breakdown && <><dt>{t.orderPrice}</dt><dd>{formatMoney(breakdown.subtotal, lang)}</dd></>}
        {refunded && refunded.amount ? <><dt>{t.refunded}</dt><dd>{formatMoney(refunded, lang)}</dd></> : null}
        {order.quote && <><dt>{t.quote}</dt><dd>{formatMoney((order.quote as Schemas["QuoteOut"]).price, lang)} {(order.quote as Schemas["QuoteOut"]).message}</dd></>}
        {order.invoice && <><dt>{t.invoice}</dt><dd>{(order.invoice as Schemas["InvoiceOut"]).public_url
          ? <a href={(order.invoice as Schemas["InvoiceOut"]).public_url ?? ""}>{t.invoice}</a> : "✓"}</dd></>}
        {counterpart && <><dt>{t.contact}</dt><dd>{counterpart.name} · {counterpart.email}{counterpart.phone ? ` · ${counterpart.phone}` : ""}</dd></>}
      </dl>}
      <FormMessage errors={errors} />
      {errors?.fields.source_id && <p className="field-error" role="alert">{errors.fields.source_id}</p>}
      {buyer && status === "pending_payment" && (
        <>
          <BookingSummary t={t} lang={lang} facts={{
            sellerName, serviceTitle: order.service?.title, start: slot?.start, end: slot?.end, zone, address: order.address,
            breakdown, policy, fullRefundUntil: terms?.full_refund_until,
          }} />
          <section className="card">
            <h2>{t.pay}</h2>
            <p>{t.payHint}</p>
            <CardForm onNonce={pay} />
          </section>
        </>
      )}
      <div className="actions">
        {buyer && status === "quote_offered" && <>
          <button type="button" disabled={busy} onClick={() => act("quote/accept")}>{t.acceptQuote}</button>
          <button type="button" className="secondary" disabled={busy} onClick={() => act("quote/reject")}>{t.rejectQuote}</button>
        </>}
        {seller && status === "authorized" &&
          <button type="button" disabled={busy} onClick={() => act("accept")}>{t.accept}</button>}
        {seller && DECLINABLE.includes(status) &&
          <button type="button" className="secondary" disabled={busy} onClick={() => act("decline")}>{t.decline}</button>}
        {seller && status === "accepted" &&
          <button type="button" disabled={busy} onClick={() => act("start")}>{t.start}</button>}
        {seller && INVOICEABLE.includes(status) && !order.invoice &&
          <button type="button" className="secondary" disabled={busy} onClick={() => act("invoice")}>{t.issueInvoice}</button>}
        {status === "in_progress" && <button type="button" disabled={busy} onClick={() => act("complete")}>{t.complete}</button>}
        {canCancel && !confirming &&
          <button type="button" className="danger" disabled={busy} aria-expanded={false} aria-controls="confirm-cancel"
                  onClick={() => setConfirming(true)}>{t.cancel}</button>}
      </div>
      {canCancel && confirming && (
        <section id="confirm-cancel" className="card confirm-cancel" role="alertdialog" aria-labelledby="confirm-cancel-title"
                 aria-describedby="confirm-cancel-refund" data-testid="confirm-cancel">
          <h2 id="confirm-cancel-title">{t.cancelConfirmTitle}</h2>
          <p id="confirm-cancel-refund" className="refund">{refundSentence(view, t, lang)}</p>
          {buyer && <ul className="muted">{policyText(policy, terms?.full_refund_until, t, lang, zone, { accepted: Boolean(terms?.charged) }).map((line) => <li key={line}>{line}</li>)}</ul>}
          <TextArea label={t.cancelReason} name="reason" maxLength={300} rows={2} value={reason}
                    onChange={(e) => setReason(e.target.value)} error={errors?.fields.reason} />
          <div className="actions">
            <button type="button" className="danger" disabled={busy}
                    onClick={async () => { await act("cancel"); setConfirming(false); }}>{t.cancelYes}</button>
            <button type="button" className="secondary" disabled={busy} onClick={() => setConfirming(false)} autoFocus>{t.cancelNo}</button>
          </div>
        </section>
      )}
      {seller && (status === "quote_requested" || status === "quote_offered") && (
        <form className="card inline" onSubmit={offerQuote} noValidate>
          <TextField label={t.amount} name="price" inputMode="decimal" value={quotePrice}
                     onChange={(e) => setQuotePrice(e.target.value)} error={errors?.fields.price} />
          <button type="submit" disabled={busy}>{t.offerQuote}</button>
        </form>
      )}
      {(buyer || seller) && status === "completed" && <OrderReviewsPanel orderId={id} viewer={buyer ? "buyer" : "seller"} />}
      {(buyer || seller) && <Thread source={{ orderId: id }} />}
      <section className="card">
        <h2>{t.timeline}</h2>
        <ol className="timeline" data-testid="timeline">
          {(order.timeline ?? []).map((entry, i) => {
            const kind = String(entry.action);
            const fallback = kind === "authorize" || kind === "accept" ? breakdown?.subtotal : null;
            const line = timelineLine(entry, t, lang, { viewer: view.viewer as Viewer, sellerName, zone, fallbackAmount: fallback });
            return (
              <li key={i}>
                <p>{line.text}</p>
                {line.reason && <q>{line.reason}</q>}
                <small><time dateTime={line.at}>{line.byline}</time></small>
              </li>
            );
          })}
        </ol>
      </section>
    </article>
  );
}
