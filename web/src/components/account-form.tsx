"use client";

import { useEffect, useState, type FormEvent } from "react";
import { formErrors, networkError, type FormErrors } from "@/lib/errors";
import { accountPatch, type Account } from "@/lib/settings";
import { FormMessage, TextField } from "./forms";
import { useApp } from "./providers";

/** Name and phone, PATCHed: only what changed is sent, and an emptied phone is removed (null). */
export function AccountForm() {
  const { api, t, lang, session } = useApp();
  const [stored, setStored] = useState<Account | null>(null);
  const [values, setValues] = useState({ display_name: "", phone: "" });
  const [errors, setErrors] = useState<FormErrors | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);

  const show = (account: Account) => {
    setStored(account);
    setValues({ display_name: account.display_name ?? "", phone: account.phone ?? "" });
  };

  useEffect(() => {
    if (!session) return;
    api.GET("/me").then(({ data }) => { if (data) show(data); }).catch(() => setErrors(networkError(lang)));
  }, [api, session, lang]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!stored) return;
    setBusy(true);
    setErrors(null);
    setSaved(false);
    try {
      const { data, error } = await api.PATCH("/me", { body: accountPatch(stored, values) });
      if (data) { setSaved(true); show(data); } else setErrors(formErrors(error, lang));
    } catch {
      setErrors(networkError(lang));
    } finally {
      setBusy(false);
    }
  }

  if (!stored) return <p>{t.loading}</p>;
  const field = (name: keyof typeof values) => ({
    name, value: values[name], error: errors?.fields[name],
    onChange: (e: { target: { value: string } }) => setValues((v) => ({ ...v, [name]: e.target.value })),
  });
  return (
    <form className="card" onSubmit={submit} noValidate aria-labelledby="account-title">
      <h2 id="account-title">{t.accountTitle}</h2>
      <FormMessage errors={errors} ok={saved ? t.saved : undefined} />
      <TextField label={t.displayName} maxLength={80} {...field("display_name")} />
      <TextField label={t.phone} type="tel" maxLength={24} hint={t.phoneHint} {...field("phone")} />
      <button type="submit" disabled={busy}>{busy ? t.sending : t.save}</button>
    </form>
  );
}
