"use client";

import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { useState, type FormEvent } from "react";
import { FormMessage, Select, TextField } from "@/components/forms";
import { useApp } from "@/components/providers";
import { formErrors, networkError, type FormErrors } from "@/lib/errors";
import type { SessionUser } from "@/lib/session";
import { safeNext } from "@/lib/use-session";

export function AuthForm({ mode }: { mode: "login" | "register" }) {
  const { t, lang, store } = useApp();
  const router = useRouter();
  const next = safeNext(useSearchParams().get("next"));
  const [values, setValues] = useState({ email: "", password: "", display_name: "", role: "buyer" });
  const [errors, setErrors] = useState<FormErrors | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (field: keyof typeof values) => (e: { target: { value: string } }) =>
    setValues((v) => ({ ...v, [field]: e.target.value }));

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setErrors(null);
    try {
      const body = mode === "login" ? { email: values.email, password: values.password } : values;
      const response = await fetch(`/api/auth/${mode}`, { method: "POST", headers: { "Content-Type": "application/json" },
                                                          body: JSON.stringify(body) });
      const payload = (await response.json().catch(() => null)) as { access_token: string; user: SessionUser } | null;
      if (!response.ok || !payload) {
        setErrors(formErrors(payload, lang));
        return;
      }
      store.set({ accessToken: payload.access_token, user: payload.user });
      router.push(mode === "register" && values.role === "seller" ? "/vendedor" : next);
    } catch {
      setErrors(networkError(lang));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="narrow card" onSubmit={submit} noValidate>
      <h1>{mode === "login" ? t.login : t.signup}</h1>
      <FormMessage errors={errors} />
      {mode === "register" && (
        <TextField label={t.displayName} name="display_name" autoComplete="name" required maxLength={80}
                   value={values.display_name} onChange={set("display_name")} error={errors?.fields.display_name} />
      )}
      <TextField label={t.email} name="email" type="email" autoComplete="email" required value={values.email}
                 onChange={set("email")} error={errors?.fields.email} />
      <TextField label={t.password} name="password" type="password" required
                 autoComplete={mode === "login" ? "current-password" : "new-password"}
                 value={values.password} onChange={set("password")} error={errors?.fields.password} />
      {mode === "register" && (
        <Select label={t.iAm} name="role" value={values.role} onChange={set("role")} error={errors?.fields.role}>
          <option value="buyer">{t.asBuyer}</option>
          <option value="seller">{t.asSeller}</option>
        </Select>
      )}
      <button type="submit" disabled={busy}>{busy ? t.sending : mode === "login" ? t.login : t.signup}</button>
      {mode === "login" && <p><Link href="/recuperar">{t.forgotPassword}</Link></p>}
      <p>{mode === "login" ? <Link href="/registro">{t.signup}</Link> : <Link href="/entrar">{t.login}</Link>}</p>
    </form>
  );
}
