import type { NextRequest } from "next/server";
import { serverApi } from "@/server";
import { apiError, readJson, text, unreachable } from "../../session";

/** Set the new password with the mailed link's token; the person signs in afterwards. */
export async function POST(request: NextRequest) {
  const body = await readJson(request);
  try {
    const { error, response } = await serverApi().POST("/auth/password-reset/confirm", {
      body: { token: text(body.token), new_password: text(body.new_password) },
    });
    if (!response.ok) return apiError(response.status, error);
    return new Response(null, { status: 204 });
  } catch {
    return unreachable();
  }
}
