import { describe, expect, it } from "vitest";
import { policyText } from "@/components/booking-summary";
import { DICTS } from "@/dictionaries";

const POLICY = { full_refund_before_minutes: 24 * 60, late_refund_percent: 50 };
const NOW = new Date("2026-12-04T15:00:00Z");

describe("the cancellation policy in words", () => {
  it("names the day and time until which cancelling is free, in Madrid", () => {
    expect(policyText(POLICY, "2026-12-07T07:30:00Z", DICTS.es, "es", undefined, { now: NOW })).toEqual([
      "Hasta que el profesional acepte, cancelar no cuesta nada.",
      "Cancelación gratuita hasta el lunes, 7 de diciembre, 08:30.",
      "Si cancelas más tarde, te devolvemos el 50 % del importe.",
    ]);
  });

  it("never promises a free cancellation until a moment already past", () => {
    const lines = policyText(POLICY, "2026-12-03T16:00:00Z", DICTS.es, "es", undefined, { now: NOW, accepted: true });
    expect(lines).toEqual(["Falta menos de 24 horas para la cita, así que ya no hay cancelación gratuita.",
                           "Si cancelas más tarde, te devolvemos el 50 % del importe."]);
  });

  it("says the span when no slot is chosen, and no refund when the policy gives none", () => {
    const lines = policyText({ full_refund_before_minutes: 60, late_refund_percent: 0 }, null, DICTS.en, "en");
    expect(lines).toEqual(["Until the professional accepts, cancelling costs nothing.",
                           "Free cancellation up to 1 hour before the appointment.",
                           "If you cancel later, there is no refund."]);
  });
});
