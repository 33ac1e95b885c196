import type { NextRequest } from "next/server";
import { serverApi, serverLang } from "@/server";
import { apiError, readJson, text, unreachable } from "../session";

/** Ask for a reset link; the mail comes in the page's language. The API answers 202 for any address. */
export async function POST(request: NextRequest) {
  const body = await readJson(request);
  const { lang } = await serverLang();
  try {
    const { error, response } = await serverApi().POST("/auth/password-reset", {
      body: { email: text(body.email) }, headers: { "Accept-Language": lang },
    });
    if (!response.ok) return apiError(response.status, error);
    return new Response(null, { status: 202 });
  } catch {
    return unreachable();
  }
}
