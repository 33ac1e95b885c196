/**
 * One value shared by every request of this server process, kept for `maxAgeMs`. After that the stale
 * value is still served while one fresh load runs in the background, so only the very first request ever
 * waits for it. A failed first load is not kept (the next request tries again); a failed refresh keeps
 * the stale value. `fallback` is what a request gets when there is no value at all.
 */
export function staleWhileRevalidate<T>(load: () => Promise<T>, maxAgeMs: number, fallback: T,
                                        now: () => number = Date.now): () => Promise<T> {
  let entry: { at: number; value: Promise<T> } | null = null;
  let refreshing = false;
  return () => {
    if (!entry) {
      const value = load();
      entry = { at: now(), value };
      value.catch(() => { entry = null; });
    } else if (now() - entry.at > maxAgeMs && !refreshing) {
      refreshing = true;
      load()
        .then((fresh) => { entry = { at: now(), value: Promise.resolve(fresh) }; })
        .catch(() => undefined)
        .finally(() => { refreshing = false; });
    }
    return entry.value.catch(() => fallback);
  };
}
