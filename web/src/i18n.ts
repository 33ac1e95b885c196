export type Lang = "es" | "en";
export const LANG_COOKIE = "lang";

export function toLang(value: string | undefined | null): Lang {
  return value === "en" ? "en" : "es";
}

export type Dict = typeof import("./dictionaries").es;

export function categoryName(category: { name_es?: string; name_en?: string; slug?: string }, lang: Lang): string {
  return (lang === "en" ? category.name_en : category.name_es) ?? category.slug ?? "";
}
