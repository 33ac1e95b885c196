"use client";

import { useSearchParams } from "next/navigation";
import { Suspense, useCallback, useEffect, useState, type FormEvent } from "react";
import type { Schemas } from "@/api/client";
import { FormMessage, Select, TextArea, TextField } from "@/components/forms";
import { formErrors, networkError, type FormErrors } from "@/lib/errors";
import { safeNext, useRequireSession } from "@/lib/use-session";

const CATEGORIES = ["order", "payments", "account_access", "site_bug", "other"] as const;

function RequestDetail({ id }: { id: string }) {
  const { api, t } = useRequireSession();
  const [detail, setDetail] = useState<Schemas["RequestDetail"] | null>(null);
  useEffect(() => {
    api.GET("/support/requests/{request_id}", { params: { path: { request_id: id } } })
      .then(({ data }) => setDetail(data ?? null)).catch(() => undefined);
  }, [api, id]);
  if (!detail) return null;
  return (
    <div>
      <p>{detail.description}</p>
      {(detail.replies ?? []).length > 0 && <h4>{t.replies}</h4>}
      <ul>{(detail.replies ?? []).map((r) => <li key={r.id}><strong>{r.author}</strong>: {r.body}</li>)}</ul>
    </div>
  );
}

function Help() {
  const { api, t, lang, session } = useRequireSession();
  const from = safeNext(useSearchParams().get("desde"));
  const [values, setValues] = useState({ category: "order", subject: "", description: "", order_id: "" });
  const [errors, setErrors] = useState<FormErrors | null>(null);
  const [sent, setSent] = useState("");
  const [busy, setBusy] = useState(false);
  const [requests, setRequests] = useState<Schemas["RequestSummary"][]>([]);
  const [open, setOpen] = useState<string | null>(null);

  const load = useCallback(async () => {
    const { data } = await api.GET("/support/requests", { params: { query: { page_size: 20 } } });
    setRequests(data?.items ?? []);
  }, [api]);

  useEffect(() => {
    if (!session) return;
    void load().catch(() => undefined);
    const timer = setInterval(() => void load().catch(() => undefined), 5000);
    return () => clearInterval(timer);
  }, [session, load]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setErrors(null);
    setSent("");
    try {
      const { data, error } = await api.POST("/support/requests", { body: {
        category: values.category as (typeof CATEGORIES)[number], subject: values.subject, description: values.description,
        order_id: values.order_id || null, page_url: from } });
      if (data) {
        setSent(`${lang === "es" ? "Recibido" : "Received"}: ${data.reference}`);
        setValues({ category: "order", subject: "", description: "", order_id: "" });
        await load();
      } else setErrors(formErrors(error, lang));
    } catch {
      setErrors(networkError(lang));
    } finally {
      setBusy(false);
    }
  }

  const field = (name: keyof typeof values) => ({
    name, value: values[name], error: errors?.fields[name],
    onChange: (e: { target: { value: string } }) => setValues((v) => ({ ...v, [name]: e.target.value })),
  });
  if (!session) return <p>{t.needLogin}</p>;
  return (
    <div className="narrow">
      <h1>{t.support}</h1>
      <form className="card" onSubmit={submit} noValidate aria-labelledby="new-request">
        <h2 id="new-request">{t.supportNew}</h2>
        <FormMessage errors={errors} ok={sent} />
        <Select label={t.category} {...field("category")}>
          {CATEGORIES.map((c) => <option key={c} value={c}>{t[`support_${c}`]}</option>)}
        </Select>
        <TextField label={t.subject} maxLength={140} {...field("subject")} />
        <TextArea label={t.description} rows={5} maxLength={5000} {...field("description")} />
        <TextField label={`${t.order} (id)`} maxLength={64} {...field("order_id")} />
        <button type="submit" disabled={busy}>{busy ? t.sending : t.supportNew}</button>
      </form>
      <h2>{t.yourRequests}</h2>
      {requests.length === 0 && <p>{t.none}</p>}
      <ul className="orders" data-testid="support-requests">
        {requests.map((r) => (
          <li key={r.id} className="card">
            <button type="button" className="link-button" aria-expanded={open === r.id}
                    onClick={() => setOpen(open === r.id ? null : r.id ?? null)}>
              {r.reference} · {r.subject}
            </button>{" "}
            <span className="tag" data-testid="support-status">{r.status}</span>
            {open === r.id && r.id && <RequestDetail id={r.id} />}
          </li>
        ))}
      </ul>
    </div>
  );
}

export default function HelpPage() {
  return <Suspense><Help /></Suspense>;
}
