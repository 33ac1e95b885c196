import type { Schemas } from "@/api/client";

export interface Reply {
  text: string;
  at: string;
}

/** The schema leaves the seller's reply untyped (a computed field): {text, at} or null. */
export function replyOf(review: { reply?: unknown } | null | undefined): Reply | null {
  const reply = review?.reply as Partial<Reply> | null | undefined;
  return reply && typeof reply.text === "string" ? { text: reply.text, at: String(reply.at ?? "") } : null;
}

/** The API types "no review" as an empty object; a review has an author. */
export function reviewOrNull(value: unknown): Schemas["Review"] | null {
  const review = value as Schemas["Review"] | null | undefined;
  return review && typeof review.stars === "number" ? review : null;
}

export type ReviewStep = "write" | "waiting" | "published" | "closed";

/**
 * What the reader of an order's reviews can do next: write theirs; wait for the other side (theirs stays
 * hidden until both wrote or the window closed); read both; or nothing, the window having closed.
 */
export function reviewStep(reviews: Schemas["OrderReviews"]): ReviewStep {
  const mine = reviewOrNull(reviews.mine);
  if (!mine) return reviews.can_review ? "write" : reviews.published ? "published" : "closed";
  return reviews.published || mine.published ? "published" : "waiting";
}

/** The seller answers a buyer's published review once. */
export function canReply(review: { reply?: unknown; side?: string } | null, viewerIsSubject: boolean): boolean {
  return Boolean(review) && viewerIsSubject && review?.side !== "seller" && replyOf(review) === null;
}

export function starsLabel(stars: number, t: { star: string; starsWord: string }): string {
  return `${stars} ${stars === 1 ? t.star : t.starsWord}`;
}
