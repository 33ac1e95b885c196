"use client";

import { useCallback, useEffect, useState, type FormEvent } from "react";
import type { Schemas } from "@/api/client";
import { categoryName } from "@/i18n";
import { formErrors, networkError, type FormErrors } from "@/lib/errors";
import { toMinorUnits } from "@/lib/money";
import { FormMessage, Select, TextArea, TextField } from "./forms";
import { ServicePhotosEditor } from "./seller-photos";
import { useApp } from "./providers";
import { priceText } from "./service-card";

const EMPTY = { title: "", description: "", category: "", price_model: "fixed", price: "", duration_minutes: "60",
                service_areas: "" };

export function SellerServices() {
  const { api, t, lang, session } = useApp();
  const [services, setServices] = useState<Schemas["Service"][]>([]);
  const [categories, setCategories] = useState<Schemas["Category"][]>([]);
  const [values, setValues] = useState(EMPTY);
  const [errors, setErrors] = useState<FormErrors | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    const { data } = await api.GET("/me/services", { params: { query: { page_size: 100 } } });
    setServices(data?.items ?? []);
  }, [api]);

  useEffect(() => {
    if (!session) return;
    load().catch(() => setErrors(networkError(lang)));
    api.GET("/categories").then(({ data }) => setCategories(data ?? [])).catch(() => undefined);
  }, [api, session, load, lang]);

  async function toggle(service: Schemas["Service"]) {
    const path = { params: { path: { service_id: service.id ?? "" } } };
    const { error } = service.status === "paused"
      ? await api.POST("/services/{service_id}/resume", path) : await api.POST("/services/{service_id}/pause", path);
    if (error) setErrors(formErrors(error, lang));
    await load();
  }

  async function create(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setErrors(null);
    try {
      const amount = toMinorUnits(values.price);
      const body: Schemas["ServiceIn"] = {
        title: values.title, description: values.description, category: values.category,
        price_model: values.price_model as Schemas["ServiceIn"]["price_model"],
        price: values.price_model === "quote" || amount === null ? null : { amount, currency: "EUR" },
        duration_minutes: Number.parseInt(values.duration_minutes, 10) || 0,
        service_areas: values.service_areas.split(",").map((s) => s.trim()).filter(Boolean),
      };
      const { data, error } = await api.POST("/services", { body });
      if (data) { setValues(EMPTY); await load(); } else setErrors(formErrors(error, lang));
    } catch {
      setErrors(networkError(lang));
    } finally {
      setBusy(false);
    }
  }

  const field = (name: keyof typeof EMPTY) => ({
    name, value: values[name], error: errors?.fields[name],
    onChange: (e: { target: { value: string } }) => setValues((v) => ({ ...v, [name]: e.target.value })),
  });
  return (
    <section aria-labelledby="my-services">
      <h2 id="my-services">{t.myServices}</h2>
      <ul className="orders">
        {services.map((s) => (
          <li key={s.id} className="card">
            <strong>{s.title}</strong> · {priceText(s, t, lang)} <span className="tag">{s.status}</span>{" "}
            <button type="button" className="secondary small" onClick={() => toggle(s)}>
              {s.status === "paused" ? t.resume : t.pause}<span className="sr-only">: {s.title}</span>
            </button>
            <ServicePhotosEditor service={s} />
          </li>
        ))}
      </ul>
      <form className="card" onSubmit={create} noValidate aria-labelledby="new-service">
        <h3 id="new-service">{t.newService}</h3>
        <FormMessage errors={errors} />
        <TextField label={t.title} maxLength={120} {...field("title")} />
        <TextArea label={t.description} maxLength={5000} {...field("description")} />
        <Select label={t.category} {...field("category")}>
          <option value="">—</option>
          {categories.map((c) => <option key={c.slug} value={c.slug}>{categoryName(c, lang)}</option>)}
        </Select>
        <Select label={t.priceModel} {...field("price_model")}>
          <option value="fixed">{t.fixed}</option><option value="hourly">{t.hourly}</option><option value="quote">{t.quote}</option>
        </Select>
        {values.price_model !== "quote" && <TextField label={t.price} inputMode="decimal" {...field("price")} />}
        <TextField label={t.duration} inputMode="numeric" {...field("duration_minutes")} />
        <TextField label={t.areas} hint="Madrid, 28001…" {...field("service_areas")} />
        <button type="submit" disabled={busy}>{busy ? t.sending : t.publish}</button>
      </form>
    </section>
  );
}
