/** The search box's suggestions, as plain logic the component and its tests share. */

export interface Suggestion {
  text: string;
  kind: string;
  category?: string;
  lang?: string | null;
  service_id?: string | null;
}

/** Below this many letters the API suggests nothing, so the box does not ask. */
export const MIN_LETTERS = 2;
/** Waits this long after the last keystroke before asking: a fast typist sends one request per pause. */
export const DEBOUNCE_MS = 120;

/** Whether what is typed is worth asking about. */
export function worthAsking(text: string): boolean {
  return text.trim().length >= MIN_LETTERS;
}

/**
 * The reader's language first (the vocabulary answers in both), services last, each group in the API's order;
 * the same text twice (a trade that is also a category's name) is shown once.
 */
export function ordered(items: Suggestion[], lang: string): Suggestion[] {
  const rank = (s: Suggestion) => (s.kind === "service" ? 2 : s.lang && s.lang !== lang ? 1 : 0);
  const seen = new Set<string>();
  return items
    .map((item, index) => ({ item, index }))
    .sort((a, b) => rank(a.item) - rank(b.item) || a.index - b.index)
    .map(({ item }) => item)
    .filter((item) => {
      const key = item.text.toLocaleLowerCase();
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}

/** The option a key moves to: down and up wrap around; -1 is "none" (the text box itself). */
export function moved(active: number, count: number, key: string): number {
  if (count === 0) return -1;
  if (key === "ArrowDown") return active + 1 >= count ? 0 : active + 1;
  if (key === "ArrowUp") return active <= 0 ? count - 1 : active - 1;
  return active;
}
