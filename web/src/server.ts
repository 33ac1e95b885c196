import "server-only";
import { cookies } from "next/headers";
import { createApiClient } from "@/api/client";
import { DICTS, LANG_COOKIE, toLang, type Lang } from "@/i18n";

/** Read at run time, so one build serves every environment. */
export function apiBaseUrl(): string {
  return process.env.API_BASE_URL ?? "http://127.0.0.1:8000";
}

export function cardFormUrl(): string {
  return process.env.CARD_FORM_URL ?? "/square-card-form";
}

export function serverApi() {
  return createApiClient(apiBaseUrl());
}

export async function serverLang(): Promise<{ lang: Lang; t: (typeof DICTS)[Lang] }> {
  const lang = toLang((await cookies()).get(LANG_COOKIE)?.value);
  return { lang, t: DICTS[lang] };
}
