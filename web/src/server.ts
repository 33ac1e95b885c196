import "server-only";
import { cookies } from "next/headers";
import { createApiClient, type Schemas } from "@/api/client";
import { DICTS } from "@/dictionaries";
import { LANG_COOKIE, toLang, type Dict, type Lang } from "@/i18n";
import { staleWhileRevalidate } from "@/lib/stale-cache";

/** Read at run time, so one build serves every environment. */
export function apiBaseUrl(): string {
  return process.env.API_BASE_URL ?? "http://127.0.0.1:8000";
}

export function cardFormUrl(): string {
  return process.env.CARD_FORM_URL ?? "/square-card-form";
}

/** Where this server reaches the API: inside a container network (API_INTERNAL_URL) it is not the browser's URL. */
export function serverApi() {
  return createApiClient(process.env.API_INTERNAL_URL ?? apiBaseUrl());
}

export async function serverLang(): Promise<{ lang: Lang; t: Dict }> {
  const lang = toLang((await cookies()).get(LANG_COOKIE)?.value);
  return { lang, t: DICTS[lang] };
}

/**
 * The taxonomy changes only with a deploy; its per-category counts may be a minute old. Cached here so a
 * page costs one API call, not two, and no request after the first waits for it (stale while revalidating).
 */
export const cachedCategories = staleWhileRevalidate(
  () => serverApi().GET("/categories").then(({ data }) => {
    if (!data) throw new Error("no categories");
    return data;
  }),
  60_000, [] as Schemas["Category"][]);
