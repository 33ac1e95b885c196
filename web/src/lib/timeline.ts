/**
 * An order's timeline in words people read: each kind of entry the API publishes (its TimelineEntry.action
 * enum) has a sentence in each language, with the amount it moved, who did it and when. Notes are shown only
 * where they are a person's own reason; system remarks and gateway ids never reach the page.
 */
import type { Schemas } from "@/api/client";
import type { Dict, Lang } from "@/i18n";
import { formatMoney, formatShortDateTime, type MoneyLike } from "./format";

export type TimelineKind = NonNullable<Schemas["TimelineEntry"]["action"]>;
export type Viewer = "buyer" | "seller" | "staff";

// Kinds whose note is what the person typed (a reason), worth showing as their words.
const REASON_KINDS = new Set<string>(["decline", "reject_quote", "cancel"]);
const REFUND_DONE = new Set(["COMPLETED"]);
const REFUND_FAILED = new Set(["FAILED", "REJECTED"]);

export interface TimelineLine {
  text: string;
  byline: string;
  reason: string;
  at: string;
}

/** "{amount}" and friends filled in from ``values``. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

function textKey(kind: string, entry: Schemas["TimelineEntry"]): string {
  const amount = entry.amount as MoneyLike | null | undefined;
  if (kind === "cancel" && amount?.amount !== undefined) {
    return amount.amount > 0 ? "timeline_cancel_refund" : "timeline_cancel_no_refund";
  }
  if (kind === "refund_update") {
    if (REFUND_DONE.has(entry.note ?? "")) return "timeline_refund_update_done";
    if (REFUND_FAILED.has(entry.note ?? "")) return "timeline_refund_update_failed";
  }
  return `timeline_${kind}`;
}

export function timelineLine(entry: Schemas["TimelineEntry"], t: Dict, lang: Lang,
                             { viewer, sellerName, zone, fallbackAmount }:
                             { viewer: Viewer; sellerName?: string; zone?: string; fallbackAmount?: MoneyLike | null }): TimelineLine {
  const words = t as unknown as Record<string, string>;
  const kind = String(entry.action ?? "note");
  const template = words[textKey(kind, entry)] ?? t.timeline_note;
  // Entries written before amounts were recorded fall back to the order's price where that is what moved.
  const amount = (entry.amount as MoneyLike | null | undefined) ?? fallbackAmount;
  const text = fill(template, { amount: formatMoney(amount, lang) || "—" });
  const party = String(entry.party ?? "system");
  const who = party === viewer ? t.who_you
    : party === "seller" ? (sellerName || t.who_seller)
    : party === "buyer" ? t.who_buyer
    : party === "staff" ? t.who_staff : t.who_system;
  const when = formatShortDateTime(entry.at, lang, zone);
  const reason = REASON_KINDS.has(kind) && (party === "buyer" || party === "seller") ? (entry.note ?? "").trim() : "";
  return { text, byline: fill(t.timelineBy, { who, when }), reason, at: entry.at ?? "" };
}
