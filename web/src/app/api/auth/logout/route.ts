import type { NextRequest } from "next/server";
import { serverApi } from "@/server";
import { REFRESH_COOKIE, signedOut } from "../session";

export async function POST(request: NextRequest) {
  const token = request.cookies.get(REFRESH_COOKIE)?.value;
  if (token) {
    // The cookie goes whatever the API says: a person who logs out is logged out here.
    await serverApi().POST("/auth/logout", { body: { refresh_token: token } }).catch(() => undefined);
  }
  return signedOut(200, { ok: true });
}
