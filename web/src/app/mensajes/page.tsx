"use client";

import Link from "next/link";
import { useEffect, useState } from "react";
import type { Schemas } from "@/api/client";
import { FormMessage } from "@/components/forms";
import { formErrors, networkError, type FormErrors } from "@/lib/errors";
import { formatShortDateTime } from "@/lib/format";
import { conversationHref } from "@/lib/messages";
import { useRequireSession } from "@/lib/use-session";

export default function ConversationsPage() {
  const { api, t, lang, session } = useRequireSession();
  const [items, setItems] = useState<Schemas["Conversation"][] | null>(null);
  const [errors, setErrors] = useState<FormErrors | null>(null);
  useEffect(() => {
    if (!session) return;
    const load = () => api.GET("/conversations", { params: { query: { page_size: 50 } } })
      .then(({ data, error }) => (data ? setItems(data.items ?? []) : setErrors(formErrors(error, lang))))
      .catch(() => setErrors(networkError(lang)));
    void load();
    const timer = setInterval(load, 5000);
    return () => clearInterval(timer);
  }, [api, session, lang]);
  if (!session) return <p>{t.needLogin}</p>;
  return (
    <section className="narrow">
      <h1>{t.messages}</h1>
      <FormMessage errors={errors} />
      {items === null ? <p>{t.loading}</p> : items.length === 0 ? <p>{t.none}</p> : (
        <ul className="orders" data-testid="conversations">
          {items.map((c) => (
            <li key={c.id} className={c.unread ? "card unread" : "card"}>
              <Link href={conversationHref(c)}><strong>{c.kind === "order" ? t.order : t.inquiry}</strong></Link>{" "}
              {c.unread ? <span className="tag">{c.unread} {t.unread}</span> : null}
              <p>{c.last_preview}</p>
              {c.last_message_at && <small>{formatShortDateTime(c.last_message_at, lang)}</small>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
