import type { NextRequest } from "next/server";
import { refuseCrossSite } from "@/app/api/auth/session";
import { LANG_COOKIE, toLang } from "@/i18n";
import { FORM_BODY } from "@/lib/request-guard";
import { safeRelativePath } from "@/lib/safe-path";

const YEAR_SECONDS = 365 * 24 * 3600;

/**
 * The language switch is a plain form posting here, so it works before the page's JavaScript has
 * loaded (a click on a button that only React handled did nothing until hydration) and without it.
 * Back to the page it was sent from: a path of this site only (a Referer of "http://us//evil.example"
 * has the path "//evil.example", which a browser reads as another site).
 */
export async function POST(request: NextRequest): Promise<Response> {
  const refused = refuseCrossSite(request, FORM_BODY);
  if (refused) return refused;
  const form = await request.formData().catch(() => null);
  const lang = toLang(form?.get("lang")?.toString());
  let back = "/";
  const referer = request.headers.get("referer");
  if (referer) {
    try {
      const from = new URL(referer);
      if (from.host === request.headers.get("host")) back = safeRelativePath(`${from.pathname}${from.search}`);
    } catch {
      // not a URL: back to the home page
    }
  }
  return new Response(null, {
    status: 303,
    headers: {
      Location: back,
      "Set-Cookie": `${LANG_COOKIE}=${lang}; Path=/; Max-Age=${YEAR_SECONDS}; SameSite=Lax`,
    },
  });
}
