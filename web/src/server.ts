import "server-only";
import { cookies } from "next/headers";
import { createApiClient, type Schemas } from "@/api/client";
import { DICTS } from "@/dictionaries";
import { LANG_COOKIE, toLang, type Dict, type Lang } from "@/i18n";

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

export async function serverLang(): Promise<{ lang: Lang; t: Dict }> {
  const lang = toLang((await cookies()).get(LANG_COOKIE)?.value);
  return { lang, t: DICTS[lang] };
}

let categories: { at: number; list: Promise<Schemas["Category"][]> } | null = null;

/**
 * The taxonomy changes only with a deploy; its per-category counts are a minute old at most. Cached here so a
 * search page costs one API call, not two. A failed load is not kept.
 */
export function cachedCategories(): Promise<Schemas["Category"][]> {
  if (!categories || Date.now() - categories.at > 60_000) {
    const list = serverApi().GET("/categories").then(({ data }) => {
      if (!data) throw new Error("no categories");
      return data;
    });
    categories = { at: Date.now(), list };
    list.catch(() => { categories = null; });
  }
  return categories.list.catch(() => []);
}
