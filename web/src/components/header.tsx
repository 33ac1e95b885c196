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

export function AccountMenu() {
  const { t, session, store, ready } = useApp();
  const router = useRouter();
  const path = usePathname();
  if (!ready) return null;
  if (!session) {
    return (
      <>
        <Link href={`/entrar?next=${encodeURIComponent(path)}`}>{t.login}</Link>
        <Link href="/registro" className="button small">{t.signup}</Link>
      </>
    );
  }
  const seller = session.user.roles.includes("seller");
  return (
    <>
      <Link href="/pedidos">{t.myOrders}</Link>
      <Link href="/mensajes">{t.messages}</Link>
      {seller && <Link href="/vendedor">{t.sellerArea}</Link>}
      <Link href="/mis-datos">{t.myData}</Link>
      <Bell />
      <span className="who">{session.user.display_name}</span>
      <button type="button" className="link-button" onClick={async () => {
        await fetch("/api/auth/logout", { method: "POST" }).catch(() => undefined);
        store.set(null);
        router.push("/");
      }}>{t.logout}</button>
    </>
  );
}

export function HelpLink() {
  const { t } = useApp();
  const path = usePathname();
  return <Link href={`/ayuda?desde=${encodeURIComponent(path)}`}>{t.help}</Link>;
}
