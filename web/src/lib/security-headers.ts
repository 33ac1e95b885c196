/**
 * Security headers of every page (issue #20, item 11). The Content-Security-Policy carries a fresh nonce per
 * request: Next puts it on its own inline scripts when it finds it in the request's CSP (src/middleware.ts
 * passes it), so no script runs that this server did not write for this answer. Every page reads the
 * language cookie, so every page is rendered per request and gets its nonce. The headers that do not change
 * per request (nosniff, Referrer-Policy, Permissions-Policy) are in next.config.mjs, for assets too.
 */

export type PolicyInput = {
  nonce: string;
  path: string;
  apiBaseUrl: string;
  cardFormUrl: string;
  dev?: boolean;
};

export const CARD_FORM_PATH = "/square-card-form";
// Square's Web Payments SDK loads from its CDN and talks to Square from frames of its own.
const SQUARE_ORIGINS = "https://*.squarecdn.com https://*.squareup.com https://*.squareupsandbox.com";

function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null; // relative: this site
  }
}

export function contentSecurityPolicy({ nonce, path, apiBaseUrl, cardFormUrl, dev = false }: PolicyInput): string {
  // next dev evaluates modules with eval; a production build never does.
  const scripts = `'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`;
  if (path === CARD_FORM_PATH) {
    return [
      "default-src 'self'", `script-src ${scripts} https://web.squarecdn.com`, "style-src 'self' 'unsafe-inline'",
      `img-src 'self' data: ${SQUARE_ORIGINS}`, `connect-src 'self' ${SQUARE_ORIGINS}`, `frame-src ${SQUARE_ORIGINS}`,
      "font-src 'self' https://*.squarecdn.com", "object-src 'none'", "base-uri 'none'", "form-action 'none'",
      // Only this site's own order page may embed the card form.
      "frame-ancestors 'self'",
    ].join("; ");
  }
  const api = originOf(apiBaseUrl) ?? "";
  const cardForm = originOf(cardFormUrl) ?? "";
  return [
    "default-src 'self'", `script-src ${scripts}`,
    // React writes style attributes; styles cannot run code.
    // Photos are the API's (its /images/, immutable URLs under PUBLIC_BASE_URL).
    "style-src 'self' 'unsafe-inline'", `img-src 'self' data: blob: ${api}`.trim(), "font-src 'self'",
    `connect-src 'self' ${api}${dev ? " ws:" : ""}`.trim(), `frame-src 'self' ${cardForm}`.trim(),
    "object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'",
  ].join("; ");
}

export function newNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}
