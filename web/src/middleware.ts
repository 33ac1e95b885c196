import { NextResponse, type NextRequest } from "next/server";
import { contentSecurityPolicy, newNonce } from "@/lib/security-headers";

/** A nonce per request: in the request's CSP, where Next reads it for its own scripts, and in the answer's. */
export function middleware(request: NextRequest) {
  const nonce = newNonce();
  const policy = contentSecurityPolicy({
    nonce, path: request.nextUrl.pathname,
    apiBaseUrl: process.env.API_BASE_URL ?? "http://127.0.0.1:8000",
    cardFormUrl: process.env.CARD_FORM_URL ?? "/square-card-form",
    dev: process.env.NODE_ENV === "development",
  });
  const headers = new Headers(request.headers);
  headers.set("x-nonce", nonce);
  headers.set("content-security-policy", policy);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("Content-Security-Policy", policy);
  return response;
}

export const config = {
  // Read at run time like the rest of the server's settings (one build serves every environment).
  runtime: "nodejs",
  // Assets carry no script of ours to protect; prefetches of pages do, and are matched.
  matcher: [{ source: "/((?!_next/static|_next/image|favicon.ico).*)" }],
};
