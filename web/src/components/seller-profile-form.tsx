"use client";

import { useEffect, useState, type FormEvent } from "react";
import { formErrors, networkError, type FormErrors } from "@/lib/errors";
import { profilePatch, profileValues, type ProfileValues, type SellerProfile } from "@/lib/settings";
import { FormMessage, TextArea, TextField } from "./forms";
import { useApp } from "./providers";

/** PATCHes only what the seller changed: what this form does not show (the travel area, the photo,
 *  whatever the API adds later) is never sent, so saving can never erase it. */
export function SellerProfileForm() {
  const { api, t, lang, session } = useApp();
  const [stored, setStored] = useState<SellerProfile | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [values, setValues] = useState<ProfileValues>(profileValues(null, ""));
  const [errors, setErrors] = useState<FormErrors | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!session) return;
    api.GET("/me/seller-profile").then(({ data }) => {
      setStored(data ?? null);
      setValues(profileValues(data ?? null, session.user.display_name ?? ""));
      setLoaded(true);
    }).catch(() => setErrors(networkError(lang)));
  }, [api, session, lang]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setErrors(null);
    setSaved(false);
    const built = profilePatch(stored, values);
    if (!built.body) {
      setErrors({ fields: Object.fromEntries(Object.entries(built.errors).map(([name, kind]) => [name, t[kind]])) });
      return;
    }
    setBusy(true);
    try {
      const { data, error } = await api.PATCH("/me/seller-profile", { body: built.body });
      if (data) { setSaved(true); setStored(data); setValues(profileValues(data, "")); } else setErrors(formErrors(error, lang));
    } catch {
      setErrors(networkError(lang));
    } finally {
      setBusy(false);
    }
  }

  const field = (name: keyof ProfileValues) => ({
    name, value: values[name], error: errors?.fields[name],
    onChange: (e: { target: { value: string } }) => setValues((v) => ({ ...v, [name]: e.target.value })),
  });
  if (!loaded) return <p>{t.loading}</p>;
  return (
    <form className="card" onSubmit={submit} noValidate aria-labelledby="presentation-title">
      <h2 id="presentation-title">{t.presentation}</h2>
      <FormMessage errors={errors} ok={saved ? t.saved : undefined} />
      <TextField label={t.displayName} maxLength={80} {...field("display_name")} />
      <TextField label={t.headline} maxLength={140} {...field("headline")} />
      <TextArea label={t.bio} rows={5} maxLength={5000} {...field("bio")} />
      <TextField label={t.yearsExperience} inputMode="numeric" {...field("years_experience")} />
      <TextField label={t.areas} hint="Madrid, 28001…" {...field("service_areas")} />
      <TextField label={t.languages} hint="es, en" {...field("languages")} />
      <button type="submit" disabled={busy}>{busy ? t.sending : t.save}</button>
    </form>
  );
}
