"use client";

import { useCallback, useEffect, useState, type FormEvent } from "react";
import type { Schemas } from "@/api/client";
import { formErrors, networkError, type FormErrors } from "@/lib/errors";
import { formatShortDateTime } from "@/lib/format";
import { authorLabel, inReadingOrder } from "@/lib/messages";
import { FormMessage, TextArea } from "./forms";
import { useApp } from "./providers";

const PAGE = 100;

/** An order's thread (opened on first use) or an inquiry's, by its id. */
export type ThreadSource = { orderId: string } | { conversationId: string };

/**
 * Buyer and seller read and write in one thread. The other person's new messages arrive by polling, and
 * reading them here marks the thread read. The API masks e-mails and phone numbers until the order is
 * accepted: the writer is told next to the field, so they know why the message changed.
 */
export function Thread({ source, title }: { source: ThreadSource; title?: string }) {
  const { api, t, lang, session } = useApp();
  const [conversation, setConversation] = useState<Schemas["Conversation"] | null>(null);
  const [messages, setMessages] = useState<Schemas["Message"][]>([]);
  const [more, setMore] = useState(false);
  const [text, setText] = useState("");
  const [errors, setErrors] = useState<FormErrors | null>(null);
  const [masked, setMasked] = useState(false);
  const [busy, setBusy] = useState(false);
  const orderId = "orderId" in source ? source.orderId : null;
  const conversationId = "conversationId" in source ? source.conversationId : null;

  const load = useCallback(async () => {
    const found = orderId
      ? await api.GET("/orders/{order_id}/conversation", { params: { path: { order_id: orderId } } })
      : await api.GET("/conversations/{conversation_id}", { params: { path: { conversation_id: conversationId ?? "" } } });
    if (!found.data?.id) {
      setErrors(formErrors(found.error, lang));
      return;
    }
    const id = found.data.id;
    const page = await api.GET("/conversations/{conversation_id}/messages",
                               { params: { path: { conversation_id: id }, query: { page_size: PAGE } } });
    setConversation(found.data);
    if (page.data) {
      setMessages((current) => inReadingOrder(current, page.data.items ?? []));
      setMore((page.data.total ?? 0) > PAGE);
    }
    if (found.data.unread) await api.POST("/conversations/{conversation_id}/read", { params: { path: { conversation_id: id } } });
  }, [api, orderId, conversationId, lang]);

  useEffect(() => {
    if (!session) return;
    let live = true;
    const poll = () => load().catch(() => live && setErrors(networkError(lang)));
    void poll();
    const timer = setInterval(poll, 4000);
    return () => { live = false; clearInterval(timer); };
  }, [session, load, lang]);

  async function send(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setErrors(null);
    setMasked(false);
    try {
      const body = { text };
      const { data, error } = orderId
        ? await api.POST("/orders/{order_id}/messages", { params: { path: { order_id: orderId } }, body })
        : await api.POST("/conversations/{conversation_id}/messages",
                         { params: { path: { conversation_id: conversation?.id ?? conversationId ?? "" } }, body });
      if (data) {
        setMessages((current) => inReadingOrder(current, [data]));
        setMasked(Boolean(data.masked));
        setText("");
      } else {
        setErrors(formErrors(error, lang));
      }
    } catch {
      setErrors(networkError(lang));
    } finally {
      setBusy(false);
    }
  }

  const when = (at?: string) => formatShortDateTime(at, lang);
  const fieldError = errors?.fields.text ?? errors?.fields.image_urls;
  const formLevel = errors && !fieldError && Object.keys(errors.fields).length
    ? { form: Object.values(errors.fields).join(" "), fields: {} } : errors;
  return (
    <section className="card thread" aria-labelledby="thread-title">
      <h2 id="thread-title">{title ?? t.messages}</h2>
      {more && <p className="meta">{t.olderMessages}</p>}
      {conversation && messages.length === 0 && <p>{t.noMessages}</p>}
      <ol className="messages" data-testid="messages" aria-live="polite">
        {messages.map((m) => (
          <li key={m.id} className={m.mine ? "message mine" : "message"}>
            <span className="meta"><strong>{authorLabel(m, t)}</strong> · <time dateTime={m.at}>{when(m.at)}</time></span>
            {m.hidden || m.text === null ? <p><em>{t.hiddenMessage}</em></p> : <p>{m.text}</p>}
            {m.masked && m.mine && <small>{t.maskedNotice}</small>}
          </li>
        ))}
      </ol>
      {conversation?.viewer !== "staff" && (
        <form onSubmit={send} noValidate>
          <FormMessage errors={formLevel} />
          <TextArea label={t.messageLabel} name="text" rows={3} maxLength={2000} value={text}
                    onChange={(e) => setText(e.target.value)} error={fieldError}
                    hint={masked ? t.maskedNotice : undefined} />
          <button type="submit" disabled={busy || !conversation}>{busy ? t.sending : t.send}</button>
        </form>
      )}
    </section>
  );
}
