/**
 * Routes of this server that set a cookie or change something (/api/auth/*, /idioma) answer only requests
 * from this site's own pages. A cross-site form can POST text/plain or a form without a preflight, and the
 * browser would keep the Set-Cookie of the answer: another site could sign a visitor into its own account
 * (login CSRF) or sign them out. A page of this site sends its own Origin (every current browser does on a
 * POST) and, for the JSON routes, a JSON body, which no cross-site form can.
 */

export type Guard = { contentTypes: readonly string[]; bodyOptional?: boolean };

export const JSON_BODY: Guard = { contentTypes: ["application/json"] };
export const NO_BODY: Guard = { contentTypes: ["application/json"], bodyOptional: true };
export const FORM_BODY: Guard = { contentTypes: ["application/x-www-form-urlencoded", "multipart/form-data"] };

function hostsOf(request: Request): Set<string> {
  const hosts = new Set<string>();
  for (const name of ["host", "x-forwarded-host"]) {
    const value = request.headers.get(name)?.split(",")[0]?.trim().toLowerCase();
    if (value) hosts.add(value);
  }
  return hosts;
}

/** Why the request is refused, or null when it comes from a page of this site with the expected body. */
export function crossSiteReason(request: Request, guard: Guard): string | null {
  const origin = request.headers.get("origin");
  if (origin) {
    let host: string;
    try {
      host = new URL(origin).host.toLowerCase();
    } catch {
      return "origin"; // "null" (a sandboxed frame, a data: page) or garbage
    }
    if (!hostsOf(request).has(host)) return "origin";
  } else if (request.headers.get("sec-fetch-site") !== "same-origin") {
    return "origin";
  }
  const type = (request.headers.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  if (!type) return guard.bodyOptional ? null : "content-type";
  return guard.contentTypes.includes(type) ? null : "content-type";
}
