import type { NextRequest } from "next/server";
import { serverApi } from "@/server";
import { REFRESH_COOKIE, anonymous, sessionResponse, signedOut, unreachable } from "../session";

export async function POST(request: NextRequest) {
  const token = request.cookies.get(REFRESH_COOKIE)?.value;
  if (!token) return anonymous();
  try {
    const { data, error, response } = await serverApi().POST("/auth/refresh", { body: { refresh_token: token } });
    if (data) return sessionResponse(data);
    return response.status >= 500 ? unreachable() : signedOut(401, error);
  } catch {
    return unreachable();
  }
}
