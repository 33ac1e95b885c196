"use client";

import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { createApiClient, type ApiClient } from "@/api/client";
import type { Dict, Lang } from "@/i18n";
import { SessionStore, type Session } from "@/lib/session";

interface AppContextValue {
  lang: Lang;
  t: Dict;
  api: ApiClient;
  store: SessionStore;
  session: Session | null;
  /** false until the refresh cookie has been tried, so pages do not flash "log in" at signed-in people */
  ready: boolean;
  cardFormUrl: string;
  /** the server's word: this browser may hold a session (see SIGNED_IN_COOKIE); false renders "log in" at once */
  maybeSignedIn: boolean;
}

const AppContext = createContext<AppContextValue | null>(null);

export function Providers({ lang, t, apiBaseUrl, cardFormUrl, maybeSignedIn, children }:
  { lang: Lang; t: Dict; apiBaseUrl: string; cardFormUrl: string; maybeSignedIn: boolean; children: ReactNode }) {
  const store = useMemo(() => new SessionStore(), []);
  const api = useMemo(() => createApiClient(apiBaseUrl, store.authorizedFetch), [apiBaseUrl, store]);
  const [session, setSession] = useState<Session | null>(null);
  const [ready, setReady] = useState(false);
  useEffect(() => {
    const unsubscribe = store.subscribe(setSession);
    store.refresh().catch(() => null).finally(() => setReady(true));
    return () => { unsubscribe(); };
  }, [store]);
  const value = useMemo(() => ({ lang, t, api, store, session, ready, cardFormUrl, maybeSignedIn }),
                        [lang, t, api, store, session, ready, cardFormUrl, maybeSignedIn]);
  return <AppContext.Provider value={value}>{children}</AppContext.Provider>;
}

export function useApp(): AppContextValue {
  const value = useContext(AppContext);
  if (!value) throw new Error("useApp outside <Providers>");
  return value;
}
