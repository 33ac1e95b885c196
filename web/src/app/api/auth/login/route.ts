import type { NextRequest } from "next/server";
import { JSON_BODY } from "@/lib/request-guard";
import { clientAddressHeaders } from "@/lib/client-address";
import { logIn, readJson, refuseCrossSite, text, unreachable } from "../session";

export async function POST(request: NextRequest) {
  const refused = refuseCrossSite(request, JSON_BODY);
  if (refused) return refused;
  const body = await readJson(request);
  try {
    return await logIn(text(body.email), text(body.password), clientAddressHeaders(request));
  } catch {
    return unreachable();
  }
}
