"use client";

import type { ReactNode } from "react";
import type { Schemas } from "@/api/client";
import type { Dict, Lang } from "@/i18n";
import { formatDateTime, formatMoney, formatSlot, formatSpan, type MoneyLike } from "@/lib/format";
import { fill } from "@/lib/timeline";

export interface SummaryFacts {
  sellerName?: string;
  serviceTitle?: string;
  start?: string;
  end?: string;
  zone?: string;
  address?: string;
  quote?: boolean;
  breakdown?: Schemas["Breakdown"] | null;
  policy?: Schemas["CancellationPolicy"] | null;
  fullRefundUntil?: string | null;
}

/** The cancellation policy in plain words, from the numbers the API gives (never computed here). */
export function policyText(policy: Schemas["CancellationPolicy"] | null | undefined, fullRefundUntil: string | null | undefined,
                           t: Dict, lang: Lang, zone?: string,
                           { accepted = false, now = new Date() }: { accepted?: boolean; now?: Date } = {}): string[] {
  if (!policy) return [];
  const span = formatSpan(Number(policy.full_refund_before_minutes ?? 0), lang,
                          { hour: { one: t.hour_one, other: t.hour_other }, minute: { one: t.minute_one, other: t.minute_other } });
  // A limit already past is no promise: say the free window has gone rather than name a day behind us.
  const free = !fullRefundUntil ? fill(t.policyFreeBefore, { hours: span })
    : new Date(fullRefundUntil) <= now ? fill(t.policyInsideWindow, { hours: span })
    : fill(t.policyFreeUntil, { date: formatDateTime(fullRefundUntil, lang, zone) });
  const percent = Number(policy.late_refund_percent ?? 0);
  const late = percent >= 100 ? "" : percent > 0 ? fill(t.policyLate, { percent }) : t.policyLateNone;
  // Once the professional has accepted, "free until they accept" is history, not policy.
  return [accepted ? "" : t.policyBeforeAccept, free, late].filter(Boolean);
}

/** Who, what, when, where, what it costs and what cancelling gives back: read before paying. */
export function BookingSummary({ facts, t, lang, children }: { facts: SummaryFacts; t: Dict; lang: Lang; children?: ReactNode }) {
  const money = (m: unknown) => formatMoney(m as MoneyLike, lang);
  const b = facts.breakdown;
  return (
    <aside className="card summary" aria-labelledby="summary-title" data-testid="booking-summary">
      <h2 id="summary-title">{t.summary}</h2>
      <dl className="summary-facts">
        <div><dt>{t.summaryWho}</dt><dd>{facts.sellerName || "—"}</dd></div>
        <div><dt>{t.summaryWhat}</dt><dd>{facts.serviceTitle || "—"}</dd></div>
        <div><dt>{t.summaryWhen}</dt><dd>{facts.start ? formatSlot(facts.start, facts.end, lang, facts.zone) : t.pickATime}</dd></div>
        <div><dt>{t.summaryWhere}</dt><dd className="wrap">{facts.address?.trim() || t.summaryWhereMissing}</dd></div>
      </dl>
      {facts.quote || !b ? <p className="muted">{t.quotePriceLater}</p> : (
        <table className="price-table" data-testid="price-breakdown">
          <tbody>
            <tr><th scope="row">{t.servicePrice}</th><td>{money(b.subtotal)}</td></tr>
            <tr className="fee"><th scope="row">{t.marketplaceFee}</th><td>{money(b.fee)}</td></tr>
            <tr className="total"><th scope="row">{t.totalToPay}</th><td>{money(b.subtotal)}</td></tr>
          </tbody>
        </table>
      )}
      {!facts.quote && <p className="held">{t.paymentHeld}</p>}
      {facts.policy && (
        <section className="policy" aria-labelledby="policy-title">
          <h3 id="policy-title">{t.cancellationPolicy}</h3>
          <ul>{policyText(facts.policy, facts.fullRefundUntil, t, lang, facts.zone).map((line) => <li key={line}>{line}</li>)}</ul>
        </section>
      )}
      {children}
    </aside>
  );
}
