"use client";

import { useEffect, useState, type FormEvent } from "react";
import type { Schemas } from "@/api/client";
import { formErrors, networkError, type FormErrors } from "@/lib/errors";
import { FormMessage, TextArea, TextField } from "./forms";
import { useApp } from "./providers";

type Presentation = Schemas["PresentationIn"];

const list = (text: string) => text.split(",").map((s) => s.trim()).filter(Boolean);

/** PUT replaces the whole presentation, so the form starts from what is stored and sends it all back. */
export function SellerProfileForm() {
  const { api, t, lang, session } = useApp();
  const [stored, setStored] = useState<Presentation | null>(null);
  const [values, setValues] = useState({ display_name: "", headline: "", bio: "", years_experience: "0",
                                         service_areas: "", languages: "" });
  const [errors, setErrors] = useState<FormErrors | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!session) return;
    api.GET("/me/seller-profile").then(({ data }) => {
      const profile: Presentation = data
        ? { display_name: data.display_name ?? "", headline: data.headline, bio: data.bio,
            years_experience: data.years_experience, languages: data.languages, service_areas: data.service_areas,
            working_hours: data.working_hours, accepting_jobs: data.accepting_jobs }
        : { display_name: session.user.display_name };
      setStored(profile);
      setValues({ display_name: profile.display_name, headline: profile.headline ?? "", bio: profile.bio ?? "",
                  years_experience: String(profile.years_experience ?? 0),
                  service_areas: (profile.service_areas ?? []).join(", "), languages: (profile.languages ?? []).join(", ") });
    }).catch(() => setErrors(networkError(lang)));
  }, [api, session, lang]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setErrors(null);
    setSaved(false);
    try {
      const years = Number.parseInt(values.years_experience, 10);
      const body: Presentation = { ...stored, display_name: values.display_name, headline: values.headline, bio: values.bio,
                                   years_experience: Number.isFinite(years) ? years : 0,
                                   service_areas: list(values.service_areas), languages: list(values.languages) };
      const { data, error } = await api.PUT("/me/seller-profile", { body });
      if (data) { setSaved(true); setStored(body); } else setErrors(formErrors(error, lang));
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
  if (!stored) return <p>{t.loading}</p>;
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
