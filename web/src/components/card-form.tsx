"use client";

import { useEffect, useMemo } from "react";
import { useApp } from "./providers";

/**
 * The card form is a page of its own in an iframe that posts back a card token (a nonce). Which page is
 * configuration (CARD_FORM_URL): this app's /square-card-form (Square's Web Payments SDK) in production, the
 * Square stand-in's test form locally. Messages from any other origin are ignored.
 */
export function CardForm({ onNonce }: { onNonce: (nonce: string) => void }) {
  const { cardFormUrl, t } = useApp();
  const origin = useMemo(() => new URL(cardFormUrl, window.location.href).origin, [cardFormUrl]);
  useEffect(() => {
    const listen = (event: MessageEvent) => {
      const data = event.data as { nonce?: unknown } | null;
      if (event.origin === origin && data && typeof data.nonce === "string") onNonce(data.nonce);
    };
    window.addEventListener("message", listen);
    return () => window.removeEventListener("message", listen);
  }, [origin, onNonce]);
  return <iframe className="card-form" title={t.cardForm} src={cardFormUrl} />;
}
