import type { NextRequest } from "next/server";
import { logIn, readJson, text, unreachable } from "../session";

export async function POST(request: NextRequest) {
  const body = await readJson(request);
  try {
    return await logIn(text(body.email), text(body.password));
  } catch {
    return unreachable();
  }
}
