"use client";

import { usePathname, useRouter } from "next/navigation";
import { useEffect } from "react";
import { useApp } from "@/components/providers";
import { safeRelativePath } from "@/lib/safe-path";

/** Pages for signed-in people send the others to log in, and back here afterwards. */
export function useRequireSession() {
  const app = useApp();
  const router = useRouter();
  const path = usePathname();
  useEffect(() => {
    if (app.ready && !app.session) router.replace(`/entrar?next=${encodeURIComponent(path)}`);
  }, [app.ready, app.session, router, path]);
  return app;
}

/** A relative path of this site only, so a crafted ?next= (even "/\\evil.example") cannot send people elsewhere. */
export function safeNext(value: string | null): string {
  return safeRelativePath(value);
}
