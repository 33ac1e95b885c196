import "server-only";
import { NextResponse, type NextRequest } from "next/server";
import type { Schemas } from "@/api/client";
import { DICTS } from "@/dictionaries";
import { LANG_COOKIE, toLang } from "@/i18n";
import { crossSiteReason, type Guard } from "@/lib/request-guard";
import { serverApi } from "@/server";

export const REFRESH_COOKIE = "mp_refresh";

const NETWORK = { code: 503, message: "The marketplace API cannot be reached right now." };

/** The refresh token goes only into an httpOnly cookie scoped to these routes; the page gets the access token. */
export function sessionResponse(pair: Schemas["TokenPair"]): NextResponse {
  const response = NextResponse.json({ access_token: pair.access_token, expires_in: pair.expires_in,
                                       user: publicUser(pair.user) });
  response.cookies.set(REFRESH_COOKIE, pair.refresh_token ?? "", {
    httpOnly: true, secure: true, sameSite: "strict", path: "/api/auth", maxAge: 60 * 60 * 24 * 30,
  });
  return response;
}

export function publicUser(user: Schemas["Account"] | undefined) {
  return user && { id: user.id, email: user.email, display_name: user.display_name, roles: user.roles };
}

export function signedOut(status = 401, body: unknown = { code: 401, message: "Not signed in." }): NextResponse {
  const response = NextResponse.json(body, { status });
  response.cookies.set(REFRESH_COOKIE, "", { httpOnly: true, secure: true, sameSite: "strict", path: "/api/auth",
                                              maxAge: 0 });
  return response;
}

export function apiError(status: number, body: unknown): NextResponse {
  return NextResponse.json(body ?? { code: status }, { status });
}

export function unreachable(): NextResponse {
  return NextResponse.json(NETWORK, { status: 503 });
}

export async function logIn(email: string, password: string, headers: Record<string, string>): Promise<NextResponse> {
  const { data, error, response } = await serverApi().POST("/auth/login", { body: { email, password }, headers });
  return data ? sessionResponse(data) : apiError(response.status, error);
}

/** A 403 in the person's language when the request did not come from a page of this site (see request-guard). */
export function refuseCrossSite(request: NextRequest, guard: Guard): NextResponse | null {
  const reason = crossSiteReason(request, guard);
  if (!reason) return null;
  const lang = toLang(request.cookies.get(LANG_COOKIE)?.value);
  return NextResponse.json({ code: 403, message: DICTS[lang].crossSiteRefused, reason: `cross_site_${reason}` },
                           { status: 403 });
}

export async function readJson(request: Request): Promise<Record<string, unknown>> {
  try {
    const body = (await request.json()) as unknown;
    return body && typeof body === "object" ? (body as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}
