import "server-only";
import { NextResponse, type NextRequest } from "next/server";
import type { Schemas } from "@/api/client";
import { DICTS } from "@/dictionaries";
import { LANG_COOKIE, toLang } from "@/i18n";
import { crossSiteReason, type Guard } from "@/lib/request-guard";
import { serverApi } from "@/server";

export const REFRESH_COOKIE = "mp_refresh";
/** Says only that a session may exist (no secret): the layout reads it to render "log in" for everyone else
 * on the server, so the links are there without scripts and signed-in people see no flash of them. */
export const SIGNED_IN_COOKIE = "mp_signed_in";

const NETWORK = { code: 503, message: "The marketplace API cannot be reached right now." };

/** The refresh token goes only into an httpOnly cookie scoped to these routes; the page gets the access token. */
export function sessionResponse(pair: Schemas["TokenPair"]): NextResponse {
  const response = NextResponse.json({ access_token: pair.access_token, expires_in: pair.expires_in,
                                       user: publicUser(pair.user) });
  response.cookies.set(REFRESH_COOKIE, pair.refresh_token ?? "", {
    httpOnly: true, secure: true, sameSite: "strict", path: "/api/auth", maxAge: 60 * 60 * 24 * 30,
  });
  response.cookies.set(SIGNED_IN_COOKIE, "1", { httpOnly: true, secure: true, sameSite: "lax", path: "/", maxAge: 60 * 60 * 24 * 30 });
  return response;
}

export function publicUser(user: Schemas["Account"] | undefined) {
  return user && { id: user.id, email: user.email, display_name: user.display_name, roles: user.roles };
}

export function signedOut(status = 401, body: unknown = { code: 401, message: "Not signed in." }): NextResponse {
  return forget(NextResponse.json(body, { status }));
}

function forget(response: NextResponse): NextResponse {
  response.cookies.set(REFRESH_COOKIE, "", { httpOnly: true, secure: true, sameSite: "strict", path: "/api/auth",
                                              maxAge: 0 });
  response.cookies.set(SIGNED_IN_COOKIE, "", { httpOnly: true, secure: true, sameSite: "lax", path: "/", maxAge: 0 });
  return response;
}

/** No session to refresh: nobody has signed in on this browser. Not an error (no 401 in every anonymous page's console). */
export function anonymous(): NextResponse {
  return forget(new NextResponse(null, { status: 204 }));
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
