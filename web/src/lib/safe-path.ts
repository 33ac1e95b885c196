/**
 * Where to send someone back to (after logging in, after switching language): a path of this site only.
 * "//evil.example" and "/\evil.example" both start with "/" yet browsers read them as another host, and the
 * URL parser drops tabs and newlines, so "/\t/evil.example" is the first one in disguise.
 */
const BASE = "http://same-origin.invalid";

export function safeRelativePath(value: string | null | undefined, fallback = "/"): string {
  if (!value || !value.startsWith("/") || /[\\\u0000-\u001f\u007f]/.test(value)) return fallback;
  try {
    const url = new URL(value, BASE);
    if (url.origin !== BASE || url.pathname.startsWith("//")) return fallback;
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return fallback;
  }
}
