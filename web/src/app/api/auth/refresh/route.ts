import type { NextRequest } from "next/server";
import { NO_BODY } from "@/lib/request-guard";
import { clientAddressHeaders } from "@/lib/client-address";
import { serverApi } from "@/server";
import { REFRESH_COOKIE, anonymous, refuseCrossSite, sessionResponse, signedOut, unreachable } from "../session";

export async function POST(request: NextRequest) {
  const refused = refuseCrossSite(request, NO_BODY);
  if (refused) return refused;
  const token = request.cookies.get(REFRESH_COOKIE)?.value;
  if (!token) return anonymous();
  try {
    // Every page load refreshes: per person, not one budget for everyone behind this server.
    const { data, error, response } = await serverApi().POST("/auth/refresh", {
      body: { refresh_token: token }, headers: clientAddressHeaders(request) });
    if (data) return sessionResponse(data);
    return response.status >= 500 ? unreachable() : signedOut(401, error);
  } catch {
    return unreachable();
  }
}
