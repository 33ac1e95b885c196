import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DICTS } from "@/dictionaries";
import type { Lang } from "@/i18n";
import { fill, timelineLine } from "./timeline";

// The kinds come from the API's own document (the domain's TIMELINE_KINDS), not from a list kept here:
// a kind added to the API without words in both languages fails this test.
const openapi = JSON.parse(readFileSync(path.resolve(__dirname, "../../openapi.json"), "utf8"));
const KINDS: string[] = openapi.components.schemas.TimelineEntry.properties.action.enum;
const LANGS: Lang[] = ["es", "en"];
const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, " ");
const EUR = (amount: number) => ({ amount, currency: "EUR" });

describe("every timeline kind has words", () => {
  it("reads the kinds from the OpenAPI enum", () => {
    expect(KINDS).toContain("authorize");
    expect(KINDS).toContain("refund_update");
    expect(KINDS.length).toBeGreaterThanOrEqual(19);
  });

  for (const lang of LANGS) {
    it.each(KINDS)(`%s has a text in ${lang}`, (kind) => {
      const text = (DICTS[lang] as unknown as Record<string, string>)[`timeline_${kind}`];
      expect(typeof text === "string" && text.trim().length > 0, `timeline_${kind} missing in ${lang}`).toBe(true);
      expect((text ?? "").replace("{amount}", "")).not.toMatch(/[{}]/);
    });
  }

  it("the two languages have the same keys", () => {
    expect(Object.keys(DICTS.en).sort()).toEqual(Object.keys(DICTS.es).sort());
  });
});

describe("timeline lines are written for people", () => {
  const at = "2026-12-07T07:15:00Z";

  it("says the payment was taken, with the amount in Spanish and no gateway id", () => {
    const line = timelineLine({ action: "accept", party: "seller", at, amount: EUR(4000), note: "" } as never,
                              DICTS.es, "es", { viewer: "buyer", sellerName: "Carlos Fontanería" });
    expect(plain(line.text)).toBe("Trabajo aceptado. Se cobró el pago de 40 € con la tarjeta");
    expect(plain(line.byline)).toBe("Carlos Fontanería · 7 dic 2026, 08:15");
    expect(line.reason).toBe("");
  });

  it("writes English with English money", () => {
    const line = timelineLine({ action: "authorize", party: "buyer", at, amount: EUR(4050) } as never,
                              DICTS.en, "en", { viewer: "buyer" });
    expect(line.text).toContain("€40.50");
    expect(line.byline.startsWith("You · ")).toBe(true);
  });

  it("tells a refunded cancellation from one with nothing to refund, and keeps the person's reason", () => {
    const refunded = timelineLine({ action: "cancel", party: "buyer", at, amount: EUR(2500), note: "me mudo" } as never,
                                  DICTS.es, "es", { viewer: "seller" });
    expect(plain(refunded.text)).toBe("Pedido cancelado; se devuelven 25 € a la tarjeta");
    expect(refunded.reason).toBe("me mudo");
    expect(refunded.byline.startsWith("El cliente · ")).toBe(true);
    const nothing = timelineLine({ action: "cancel", party: "buyer", at, amount: EUR(0) } as never, DICTS.es, "es",
                                 { viewer: "buyer" });
    expect(nothing.text).toBe(DICTS.es.timeline_cancel_no_refund);
    const unpaid = timelineLine({ action: "cancel", party: "buyer", at, amount: null } as never, DICTS.es, "es",
                                { viewer: "buyer" });
    expect(unpaid.text).toBe(DICTS.es.timeline_cancel);
  });

  it("words a refund's news by its status and never shows a system remark", () => {
    const done = timelineLine({ action: "refund_update", party: "system", at, amount: EUR(1000), note: "COMPLETED" } as never,
                              DICTS.es, "es", { viewer: "buyer" });
    expect(plain(done.text)).toBe("Reembolso de 10 € completado");
    expect(done.byline.startsWith("Automático · ")).toBe(true);
    const remark = timelineLine({ action: "note", party: "system", at, note: "aviso de reembolso sq_123 distinto" } as never,
                                DICTS.es, "es", { viewer: "buyer" });
    expect(remark.text).toBe("Aviso del sistema de pagos");
    expect(JSON.stringify(remark)).not.toContain("sq_123");
  });

  it("falls back to the order's price for entries stored without an amount", () => {
    const line = timelineLine({ action: "authorize", party: "buyer", at } as never, DICTS.es, "es",
                              { viewer: "buyer", fallbackAmount: EUR(6000) });
    expect(plain(line.text)).toContain("Pago de 60 € autorizado");
  });

  it("fills only the names it is given", () => {
    expect(fill("{a} y {b}", { a: 1 })).toBe("1 y {b}");
  });
});
