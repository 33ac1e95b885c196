"use client";

import dynamic from "next/dynamic";
import { useParams } from "next/navigation";
import { useCallback, useEffect, useState, type FormEvent } from "react";
import { idempotencyKey, type Schemas } from "@/api/client";
import { FormMessage, TextField } from "@/components/forms";
import { OrderReviewsPanel } from "@/components/reviews";
import { Thread } from "@/components/thread";
import type { Dict } from "@/i18n";
import { formErrors, networkError, type FormErrors } from "@/lib/errors";
import { formatMoney, toMinorUnits } from "@/lib/money";
import { useRequireSession } from "@/lib/use-session";

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

export default function OrderPage() {
  const { id } = useParams<{ id: string }>();
  const { api, t, lang, session } = useRequireSession();
  const [view, setView] = useState<Schemas["OrderView"] | null>(null);
  const [errors, setErrors] = useState<FormErrors | null>(null);
  const [busy, setBusy] = useState(false);
  const [quotePrice, setQuotePrice] = useState("");

  const load = useCallback(async () => {
    try {
      const { data, error } = await api.GET("/orders/{order_id}", { params: { path: { order_id: id } } });
      if (data) setView(data);
      else setErrors(formErrors(error, lang));
    } catch {
      setErrors(networkError(lang));
    }
  }, [api, id, lang]);

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
      if (data) setView(data as Schemas["OrderView"]);
      else setErrors(formErrors(error, lang));
    } catch {
      setErrors(networkError(lang));
    } finally {
      setBusy(false);
    }
  }, [lang]);

  const act = (action: Action) => run(() => {
    const params = { params: { path: { order_id: id }, header: idempotencyKey() } };
    switch (action) {
      case "cancel": return api.POST("/orders/{order_id}/cancel", { ...params, body: { reason: "" } });
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
  const slot = order.slot as { start?: string; local_start?: string } | undefined;
  return (
    <article className="order">
      <h1>{t.order}: {order.service?.title}</h1>
      <p className="status">{t.status}: <strong data-testid="order-status">{statusLabel(status, t)}</strong></p>
      <dl className="details">
        <dt>{t.when}</dt><dd>{String(slot?.local_start ?? slot?.start ?? "").replace("T", " ").slice(0, 16)}</dd>
        <dt>{t.address}</dt><dd>{order.address}</dd>
        {order.breakdown && <><dt>{t.total}</dt><dd>{formatMoney((order.breakdown as Schemas["Breakdown"]).subtotal, lang)}</dd></>}
        {order.quote && <><dt>{t.quote}</dt><dd>{formatMoney((order.quote as Schemas["QuoteOut"]).price, lang)} {(order.quote as Schemas["QuoteOut"]).message}</dd></>}
        {order.invoice && <><dt>{t.invoice}</dt><dd>{(order.invoice as Schemas["InvoiceOut"]).status}</dd></>}
        {view.counterpart && <><dt>{t.contact}</dt><dd>{(view.counterpart as Schemas["Contact"]).name} · {(view.counterpart as Schemas["Contact"]).email}</dd></>}
      </dl>
      <FormMessage errors={errors} />
      {errors?.fields.source_id && <p className="field-error" role="alert">{errors.fields.source_id}</p>}
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
        {(buyer || seller) && CANCELLABLE.includes(status) &&
          <button type="button" className="danger" disabled={busy} onClick={() => act("cancel")}>{t.cancel}</button>}
      </div>
      {seller && (status === "quote_requested" || status === "quote_offered") && (
        <form className="card inline" onSubmit={offerQuote} noValidate>
          <TextField label={t.amount} name="price" inputMode="decimal" value={quotePrice}
                     onChange={(e) => setQuotePrice(e.target.value)} error={errors?.fields.price} />
          <button type="submit" disabled={busy}>{t.offerQuote}</button>
        </form>
      )}
      {buyer && status === "pending_payment" && (
        <section className="card">
          <h2>{t.pay}</h2>
          <p>{t.payHint}</p>
          <CardForm onNonce={pay} />
        </section>
      )}
      {(buyer || seller) && status === "completed" && <OrderReviewsPanel orderId={id} viewer={buyer ? "buyer" : "seller"} />}
      {(buyer || seller) && <Thread source={{ orderId: id }} />}
      <section>
        <h2>{t.timeline}</h2>
        <ol className="timeline" data-testid="timeline">
          {(order.timeline ?? []).map((entry, i) => (
            <li key={i}>
              <time dateTime={entry.at}>{new Date(entry.at ?? "").toLocaleString(lang === "es" ? "es-ES" : "en-GB")}</time>{" "}
              {entry.to ? statusLabel(entry.to, t) : entry.action} {entry.note && <small>— {entry.note}</small>}
            </li>
          ))}
        </ol>
      </section>
    </article>
  );
}
