/**
 * The production card form: Square's Web Payments SDK in a page of its own, embedded by <CardForm> and posting
 * the card token to it, exactly as the local stand-in's test form does (CARD_FORM_URL chooses which one).
 */
export function GET(request: Request) {
  // The page's CSP (src/middleware.ts) runs only scripts with this request's nonce.
  const nonce = (request.headers.get("x-nonce") ?? "").replace(/[^A-Za-z0-9+/=]/g, "");
  const appId = process.env.SQUARE_APPLICATION_ID ?? "";
  const locationId = process.env.SQUARE_LOCATION_ID ?? "";
  const sdk = process.env.SQUARE_WEB_PAYMENTS_SDK_URL ?? "https://web.squarecdn.com/v1/square.js";
  const page = `<!doctype html><html><head><meta charset="utf-8"><title>Card</title>
<script nonce="${nonce}" src="${sdk}"></script></head><body><div id="card"></div><button id="pay" type="button">Pay</button>
<p id="error" role="alert"></p>
<script nonce="${nonce}">
(async () => {
  const payments = window.Square.payments(${JSON.stringify(appId)}, ${JSON.stringify(locationId)});
  const card = await payments.card();
  await card.attach("#card");
  document.getElementById("pay").addEventListener("click", async () => {
    const result = await card.tokenize();
    if (result.status === "OK") window.parent.postMessage({ source: "square-card", nonce: result.token }, window.location.origin);
    else document.getElementById("error").textContent = (result.errors || []).map((e) => e.message).join(" ");
  });
})();
</script></body></html>`;
  return new Response(page, { headers: { "Content-Type": "text/html; charset=utf-8" } });
}
