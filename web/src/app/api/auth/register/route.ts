import type { NextRequest } from "next/server";
import { JSON_BODY } from "@/lib/request-guard";
import { clientAddressHeaders } from "@/lib/client-address";
import { serverApi } from "@/server";
import { apiError, logIn, readJson, refuseCrossSite, text, unreachable } from "../session";

/** Sign up, then sign in at once, so the refresh token never reaches the page. */
export async function POST(request: NextRequest) {
  const refused = refuseCrossSite(request, JSON_BODY);
  if (refused) return refused;
  const body = await readJson(request);
  const role = body.role === "seller" ? "seller" : "buyer";
  const headers = clientAddressHeaders(request);
  try {
    const { error, response } = await serverApi().POST("/auth/register", {
      body: { email: text(body.email), password: text(body.password), display_name: text(body.display_name), role },
      headers,
    });
    if (!response.ok) return apiError(response.status, error);
    return await logIn(text(body.email), text(body.password), headers);
  } catch {
    return unreachable();
  }
}
