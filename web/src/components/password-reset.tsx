"use client";

import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { useState, type FormEvent } from "react";
import { FormMessage, TextField } from "@/components/forms";
import { useApp } from "@/components/providers";
import { formErrors, networkError, type FormErrors } from "@/lib/errors";

async function post(path: string, body: unknown): Promise<{ ok: boolean; status: number; payload: unknown }> {
  const response = await fetch(path, { method: "POST", headers: { "Content-Type": "application/json" },
                                       body: JSON.stringify(body) });
  return { ok: response.ok, status: response.status, payload: await response.json().catch(() => null) };
}

/** /recuperar: the address to mail a reset link to. The answer is the same whether or not it has an account. */
export function ForgotPasswordForm() {
  const { t, lang } = useApp();
  const [email, setEmail] = useState("");
  const [errors, setErrors] = useState<FormErrors | null>(null);
  const [sent, setSent] = useState(false);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setErrors(null);
    try {
      const { ok, status, payload } = await post("/api/auth/password-reset", { email });
      if (ok) setSent(true);
      else if (status === 429) setErrors({ form: t.recoverTooMany, fields: {} });
      else {
        const found = formErrors(payload, lang);
        setErrors(found.fields.email ? { form: undefined, fields: { email: t.recoverBadEmail } } : found);
      }
    } catch {
      setErrors(networkError(lang));
    } finally {
      setBusy(false);
    }
  }

  if (sent) {
    return (
      <div className="narrow card">
        <h1>{t.recoverTitle}</h1>
        <p role="status">{t.recoverSent}</p>
        <p><Link href="/entrar">{t.login}</Link></p>
      </div>
    );
  }
  return (
    <form className="narrow card" onSubmit={submit} noValidate>
      <h1>{t.recoverTitle}</h1>
      <p>{t.recoverIntro}</p>
      <FormMessage errors={errors} />
      <TextField label={t.email} name="email" type="email" autoComplete="email" required value={email}
                 onChange={(e) => setEmail(e.target.value)} error={errors?.fields.email} />
      <button type="submit" disabled={busy}>{busy ? t.sending : t.recoverSend}</button>
      <p><Link href="/entrar">{t.login}</Link></p>
    </form>
  );
}

/** /restablecer?token=…: the new password, set once with the mailed link's token. */
export function ResetPasswordForm() {
  const { t, lang } = useApp();
  const token = useSearchParams().get("token") ?? "";
  const [password, setPassword] = useState("");
  const [errors, setErrors] = useState<FormErrors | null>(null);
  const [deadLink, setDeadLink] = useState(!token);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setErrors(null);
    try {
      const { ok, payload } = await post("/api/auth/password-reset/confirm", { token, new_password: password });
      if (ok) {
        setDone(true);
        return;
      }
      const found = formErrors(payload, lang);
      if (found.fields.token) setDeadLink(true);
      else setErrors(found.fields.new_password ? { form: undefined, fields: { new_password: t.resetWeakPassword } } : found);
    } catch {
      setErrors(networkError(lang));
    } finally {
      setBusy(false);
    }
  }

  if (done) {
    return (
      <div className="narrow card">
        <h1>{t.resetTitle}</h1>
        <p role="status">{t.resetDone}</p>
        <p><Link href="/entrar">{t.login}</Link></p>
      </div>
    );
  }
  if (deadLink) {
    return (
      <div className="narrow card">
        <h1>{t.resetTitle}</h1>
        <p role="alert">{t.resetBadLink}</p>
        <p><Link href="/recuperar">{t.askNewLink}</Link></p>
      </div>
    );
  }
  return (
    <form className="narrow card" onSubmit={submit} noValidate>
      <h1>{t.resetTitle}</h1>
      <FormMessage errors={errors} />
      <TextField label={t.newPassword} name="new_password" type="password" autoComplete="new-password" required
                 value={password} onChange={(e) => setPassword(e.target.value)} error={errors?.fields.new_password} />
      <button type="submit" disabled={busy}>{busy ? t.sending : t.resetSave}</button>
    </form>
  );
}
