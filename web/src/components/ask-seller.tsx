"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { formErrors, networkError, type FormErrors } from "@/lib/errors";
import { FormMessage, Select, TextArea } from "./forms";
import { useApp } from "./providers";

/**
 * A buyer asks about a service before booking (the API's inquiries); asking again continues the same
 * thread. Shown on the server-rendered profile: the only client code the profile adds.
 */
export function AskSeller({ sellerId, services }: { sellerId: string; services: { id: string; title: string }[] }) {
  const { api, t, lang, session, ready } = useApp();
  const router = useRouter();
  const [values, setValues] = useState({ service_id: services[0]?.id ?? "", text: "" });
  const [errors, setErrors] = useState<FormErrors | null>(null);
  const [busy, setBusy] = useState(false);
  if (!ready || services.length === 0 || session?.user.id === sellerId) return null;
  if (!session) return <p><Link href={`/entrar?next=${encodeURIComponent(`/vendedores/${sellerId}`)}`}>{t.loginToAsk}</Link></p>;
  if (!session.user.roles.includes("buyer")) return null;

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setErrors(null);
    try {
      const { data, error } = await api.POST("/conversations", { body: values });
      if (data?.id) router.push(`/mensajes/${data.id}`);
      else setErrors(formErrors(error, lang));
    } catch {
      setErrors(networkError(lang));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card" onSubmit={submit} noValidate aria-labelledby="ask-title">
      <h2 id="ask-title">{t.askSeller}</h2>
      <FormMessage errors={errors} />
      <Select label={t.askAbout} name="service_id" value={values.service_id} error={errors?.fields.service_id}
              onChange={(e) => setValues((v) => ({ ...v, service_id: e.target.value }))}>
        {services.map((s) => <option key={s.id} value={s.id}>{s.title}</option>)}
      </Select>
      <TextArea label={t.askText} name="text" rows={3} maxLength={2000} value={values.text} error={errors?.fields.text}
                hint={t.maskedNotice} onChange={(e) => setValues((v) => ({ ...v, text: e.target.value }))} />
      <button type="submit" disabled={busy}>{busy ? t.sending : t.askSend}</button>
    </form>
  );
}
