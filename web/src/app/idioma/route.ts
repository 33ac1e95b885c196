import { LANG_COOKIE, toLang } from "@/i18n";

const YEAR_SECONDS = 365 * 24 * 3600;

/**
 * The language switch is a plain form posting here, so it works before the page's JavaScript has
 * loaded (a click on a button that only React handled did nothing until hydration) and without it.
 * Back to the page it was sent from: its path only, so no other site can be named as the way back.
 */
export async function POST(request: Request): Promise<Response> {
  const form = await request.formData().catch(() => null);
  const lang = toLang(form?.get("lang")?.toString());
  let back = "/";
  const referer = request.headers.get("referer");
  if (referer) {
    try {
      const from = new URL(referer);
      if (from.host === request.headers.get("host")) back = `${from.pathname}${from.search}`;
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
