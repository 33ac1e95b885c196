import { createHmac } from "node:crypto";

/**
 * The API limits sign-ins and sign-ups per address. Relayed by this server, every person would share
 * this server's address (ten sign-ups a minute through the web locked everyone out), so the person's
 * address goes along, signed with WEB_PROXY_SECRET, which only this server and the API know: the API
 * believes X-Client-Address only with a valid X-Client-Address-Signature (src/adapters/inbound/http/
 * hardening.py checks the same HMAC).
 */

const IPV4 = /^(?:\d{1,3}\.){3}\d{1,3}$/;
const IPV6 = /^[0-9a-f:.]+$/i;

/**
 * The person's address from X-Forwarded-For, given how many proxies in front of this server append to it.
 * None in front (hops 0): Next fills the header from the socket only when the caller sent none, so it may be
 * the caller's own words and nothing is believed. With proxies, each appends the address it saw: the one
 * nearest this server is last, and the person's is `hops` from the end; anything before it is hearsay.
 */
export function clientAddress(forwardedFor: string | null, hops: number): string | null {
  if (!forwardedFor || !Number.isInteger(hops) || hops < 1) return null;
  const entries = forwardedFor.split(",").map((entry) => entry.trim()).filter(Boolean);
  if (entries.length < hops) return null;
  const address = (entries[entries.length - hops] ?? "").replace(/^::ffff:(?=\d+\.)/, "");
  return (IPV4.test(address) || (address.includes(":") && IPV6.test(address))) ? address : null;
}

export function signClientAddress(secret: string, address: string, at: number): string {
  const digest = createHmac("sha256", secret).update(`${at}.${address}`).digest("hex");
  return `t=${at},v1=${digest}`;
}

/** The headers for the API, or none when this deployment cannot tell who is calling (see README, Security). */
export function clientAddressHeaders(request: Request, env: Record<string, string | undefined> = process.env,
                                     now: number = Date.now()): Record<string, string> {
  const secret = env.WEB_PROXY_SECRET ?? "";
  const address = clientAddress(request.headers.get("x-forwarded-for"), Number(env.WEB_TRUSTED_PROXY_HOPS ?? "0"));
  if (!secret || !address) return {};
  return { "X-Client-Address": address,
           "X-Client-Address-Signature": signClientAddress(secret, address, Math.floor(now / 1000)) };
}
