"use client";

import Link from "next/link";
import { useCallback, useEffect, useState } from "react";
import type { Schemas } from "@/api/client";
import { formatShortDateTime } from "@/lib/format";
import { useRequireSession } from "@/lib/use-session";

export default function NotificationsPage() {
  const { api, t, lang, session } = useRequireSession();
  const [inbox, setInbox] = useState<Schemas["Inbox"] | null>(null);
  const load = useCallback(async () => {
    const { data } = await api.GET("/notifications", { params: { query: { page_size: 50 } } });
    if (data) setInbox(data);
  }, [api]);
  useEffect(() => {
    if (session) void load().catch(() => undefined);
  }, [session, load]);
  if (!session) return <p>{t.needLogin}</p>;
  return (
    <section className="narrow">
      <h1>{t.notifications}</h1>
      {inbox && inbox.unread ? (
        <button type="button" className="secondary" onClick={async () => { await api.POST("/notifications/read-all"); await load(); }}>
          {t.markAllRead}
        </button>
      ) : null}
      {inbox?.items?.length === 0 && <p>{t.none}</p>}
      <ul className="orders" data-testid="notifications">
        {(inbox?.items ?? []).map((n) => {
          const orderId = typeof n.data?.order_id === "string" ? n.data.order_id : null;
          return (
            <li key={n.id} className={n.unread ? "card unread" : "card"}>
              <strong>{n.title}</strong> <small>{formatShortDateTime(n.created_at, lang)}</small>
              <p>{n.body}</p>
              {orderId && <Link href={`/pedidos/${orderId}`}>{t.order}</Link>}{" "}
              {n.unread && <button type="button" className="link-button" onClick={async () => {
                await api.POST("/notifications/{notification_id}/read", { params: { path: { notification_id: n.id ?? "" } } });
                await load();
              }}>✓<span className="sr-only">{t.markAllRead}</span></button>}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
