import type { NextRequest } from "next/server";
import { serverApi } from "@/server";
import { apiError, logIn, readJson, text, unreachable } from "../session";

/** Sign up, then sign in at once, so the refresh token never reaches the page. */
export async function POST(request: NextRequest) {
  const body = await readJson(request);
  const role = body.role === "seller" ? "seller" : "buyer";
  try {
    const { error, response } = await serverApi().POST("/auth/register", {
      body: { email: text(body.email), password: text(body.password), display_name: text(body.display_name), role },
    });
    if (!response.ok) return apiError(response.status, error);
    return await logIn(text(body.email), text(body.password));
  } catch {
    return unreachable();
  }
}
