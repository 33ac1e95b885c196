import { describe, expect, it } from "vitest";
import { es } from "@/dictionaries";
import { authorLabel, conversationHref, inReadingOrder } from "./messages";
import { canReply, replyOf, reviewOrNull, reviewStep, starsLabel } from "./reviews";

describe("a thread", () => {
  const older = { id: "m1", at: "2026-11-30T10:00:00+00:00", text: "¿Podéis el lunes?", author: "buyer" as const, mine: true };
  const newer = { id: "m2", at: "2026-11-30T10:05:00+00:00", text: "Sí, a las 9.", author: "seller" as const, mine: false };

  it("reads oldest first although the API pages newest first, keeping each message once", () => {
    expect(inReadingOrder([newer, older], [newer]).map((m) => m.id)).toEqual(["m1", "m2"]);
  });

  it("says 'you' for one's own messages and the side for the other person's", () => {
    expect(authorLabel(older, es)).toBe("Tú");
    expect(authorLabel(newer, es)).toBe("Profesional");
    expect(authorLabel({ ...newer, author: "staff" }, es)).toBe("Soporte");
  });

  it("opens an order's thread on the order's page and an inquiry on its own page", () => {
    expect(conversationHref({ id: "o1", kind: "order", order_id: "o1" })).toBe("/pedidos/o1");
    expect(conversationHref({ id: "c1", kind: "inquiry", order_id: null })).toBe("/mensajes/c1");
  });
});

describe("an order's reviews", () => {
  const mine = { stars: 5, text: "Muy bien", side: "buyer" as const, published: false };

  it("asks to write while the window is open and nothing is written", () => {
    expect(reviewStep({ can_review: true, published: false, mine: {}, theirs: {} })).toBe("write");
  });

  it("waits for the other side after writing, until both wrote or the window closed", () => {
    expect(reviewStep({ can_review: false, published: false, mine, theirs: {} })).toBe("waiting");
    expect(reviewStep({ can_review: false, published: true, mine: { ...mine, published: true }, theirs: {} })).toBe("published");
  });

  it("is closed for someone who did not write in time", () => {
    expect(reviewStep({ can_review: false, published: false, mine: null, theirs: null })).toBe("closed");
  });

  it("reads the untyped reply and lets the seller answer a buyer's review once", () => {
    const review = { side: "buyer" as const, reply: null };
    expect(canReply(review, true)).toBe(true);
    expect(canReply(review, false)).toBe(false);
    expect(canReply({ side: "seller" }, true)).toBe(false);
    const answered = { ...review, reply: { text: "¡Gracias!", at: "2026-11-30T10:00:00+00:00" } };
    expect(replyOf(answered)?.text).toBe("¡Gracias!");
    expect(canReply(answered, true)).toBe(false);
  });

  it("treats the API's empty object as no review", () => {
    expect(reviewOrNull({})).toBeNull();
    expect(reviewOrNull(mine)?.stars).toBe(5);
  });

  it("names the stars in Spanish", () => {
    expect(starsLabel(1, es)).toBe("1 estrella");
    expect(starsLabel(4, es)).toBe("4 estrellas");
  });
});
