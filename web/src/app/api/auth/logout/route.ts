import type { NextRequest } from "next/server";
import { NO_BODY } from "@/lib/request-guard";
import { clientAddressHeaders } from "@/lib/client-address";
import { serverApi } from "@/server";
import { REFRESH_COOKIE, refuseCrossSite, signedOut } from "../session";

export async function POST(request: NextRequest) {
  // Another site must not sign people out either.
  const refused = refuseCrossSite(request, NO_BODY);
  if (refused) return refused;
  const token = request.cookies.get(REFRESH_COOKIE)?.value;
  if (token) {
    // The cookie goes whatever the API says: a person who logs out is logged out here.
    await serverApi().POST("/auth/logout", { body: { refresh_token: token }, headers: clientAddressHeaders(request) })
      .catch(() => undefined);
  }
  return signedOut(200, { ok: true });
}
