"use client";

import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { useApp } from "./providers";

export function LangSwitch() {
  const { t, lang } = useApp();
  return (
    <form method="post" action="/idioma" className="inline-form">
      <input type="hidden" name="lang" value={lang === "es" ? "en" : "es"} />
      <button type="submit" className="link-button" lang={lang === "es" ? "en" : "es"} aria-label={t.switchLangLabel}>
        {t.switchLang}
      </button>
    </form>
  );
}

function Bell() {
  const { api, t, session } = useApp();
  const [unread, setUnread] = useState<number | null>(null);
  useEffect(() => {
    if (!session) return;
    let live = true;
    const poll = async () => {
      const { data } = await api.GET("/notifications", { params: { query: { page_size: 1 } } }).catch(() => ({ data: undefined }));
      if (live && data) setUnread(data.unread ?? 0);
    };
    void poll();
    const timer = setInterval(poll, 5000);
    return () => { live = false; clearInterval(timer); };
  }, [api, session]);
  return (
    <Link href="/avisos" className="bell" aria-label={`${t.notifications}: ${unread ?? 0} ${t.unread}`}>
      <svg aria-hidden="true" width="22" height="22" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2">
        <path d="M18 8a6 6 0 0 0-12 0c0 7-3 9-3 9h18s-3-2-3-9M13.7 21a2 2 0 0 1-3.4 0" />
      </svg>
      {unread ? <span className="badge" data-testid="unread-count">{unread}</span> : null}
    </Link>
  );
}

/**
 * Who is here, as far as this render knows: "anonymous" is decided on the server when the browser holds no
 * session (so the log-in links are in the HTML, scripts or not), "pending" until the refresh answers otherwise.
 */
function useWho() {
  const { session, ready, maybeSignedIn } = useApp();
  type Who = { kind: "signed-in"; session: NonNullable<typeof session> } | { kind: "anonymous"; session: null } | { kind: "pending"; session: null };
  if (session) return { kind: "signed-in", session } as Who;
  return { kind: ready || !maybeSignedIn ? "anonymous" : "pending", session: null } as Who;
}

function LogOut() {
  const { t, store } = useApp();
  const router = useRouter();
  return (
    <button type="button" className="link-button" onClick={async () => {
      await fetch("/api/auth/logout", { method: "POST" }).catch(() => undefined);
      store.set(null);
      router.push("/");
    }}>{t.logout}</button>
  );
}

function AccountLinks() {
  const { t } = useApp();
  const who = useWho();
  const path = usePathname();
  if (who.kind === "pending") return null;
  if (who.kind === "anonymous") {
    return <Link href={`/entrar?next=${encodeURIComponent(path)}`}>{t.login}</Link>;
  }
  const seller = who.session.user.roles.includes("seller");
  return (
    <>
      <Link href="/pedidos">{t.myOrders}</Link>
      <Link href="/mensajes">{t.messages}</Link>
      {seller && <Link href="/vendedor">{t.sellerArea}</Link>}
      <Link href="/mis-datos">{t.myData}</Link>
    </>
  );
}

export function HelpLink() {
  const { t } = useApp();
  const path = usePathname();
  return <Link href={`/ayuda?desde=${encodeURIComponent(path)}`}>{t.help}</Link>;
}

/**
 * The header's links. Wide screens show them in a row; a phone keeps one line (brand, log in or the bell, and a
 * menu): the rest sits in a <details> menu, which opens and closes without scripts. The two sets are never
 * shown together (display: none takes the hidden one out of the accessibility tree).
 */
export function HeaderNav() {
  const { t } = useApp();
  const who = useWho();
  const path = usePathname();
  const [open, setOpen] = useState(false);
  // A followed link closes the menu (scripts on); without them the new page starts it closed anyway.
  useEffect(() => setOpen(false), [path]);
  return (
    <>
      <div className="nav-wide">
        <Link href="/buscar">{t.search}</Link>
        <HelpLink />
        <AccountLinks />
      </div>
      {/* One bell for both sizes: it polls the unread count. */}
      {who.kind === "signed-in" && <Bell />}
      <div className="nav-wide">
        {who.kind === "signed-in" && <><span className="who">{who.session.user.display_name}</span><LogOut /></>}
        {who.kind === "anonymous" && <Link href="/registro" className="button small">{t.signup}</Link>}
        <LangSwitch />
      </div>
      <div className="nav-narrow">
        {who.kind === "anonymous" && <Link href={`/entrar?next=${encodeURIComponent(path)}`} className="button small">{t.login}</Link>}
        <details className="menu" open={open} onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)}>
          <summary aria-label={t.menu}>
            <svg aria-hidden="true" width="22" height="22" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2">
              <path d="M4 6h16M4 12h16M4 18h16" />
            </svg>
          </summary>
          <div className="menu-panel">
            <Link href="/buscar">{t.search}</Link>
            {who.kind === "signed-in" && <AccountLinks />}
            {who.kind === "anonymous" && <Link href="/registro">{t.signup}</Link>}
            <HelpLink />
            {who.kind === "signed-in" && <><span className="who">{who.session.user.display_name}</span><LogOut /></>}
            <LangSwitch />
          </div>
        </details>
      </div>
    </>
  );
}
