"use client";

import { useCallback, useEffect, useState, type FormEvent, type ReactNode } from "react";
import type { Schemas } from "@/api/client";
import { categoryName } from "@/i18n";
import { formErrors, networkError, type FormErrors } from "@/lib/errors";
import { toMinorUnits } from "@/lib/money";
import { servicePatch, serviceValues, type Service, type ServiceValues } from "@/lib/settings";
import { FormMessage, Select, TextArea, TextField } from "./forms";
import { ServicePhotosEditor } from "./seller-photos";
import { useApp } from "./providers";
import { priceText } from "./service-card";

const EMPTY = { title: "", description: "", category: "", price_model: "fixed", price: "", duration_minutes: "60",
                service_areas: "" };

type Dict = ReturnType<typeof useApp>["t"];

/** The fields a service has, for publishing and for editing. */
function ServiceFields({ values, errors, set, categories, t, lang, tags }: {
  values: Omit<ServiceValues, "tags"> & { tags?: string }; errors: FormErrors | null; tags?: boolean;
  set: (name: string, value: string) => void; categories: Schemas["Category"][]; t: Dict; lang: "es" | "en";
}) {
  const field = (name: keyof typeof values) => ({
    name, value: values[name] ?? "", error: errors?.fields[name],
    onChange: (e: { target: { value: string } }) => set(name, e.target.value),
  });
  return <>
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
    {tags && <TextField label={t.tags} hint="grifos, urgente…" {...field("tags")} />}
  </>;
}

/** Edits a published service in place, PATCHing only what changed. */
function ServiceEditor({ service, categories, photos, onDone }: {
  service: Service; categories: Schemas["Category"][]; photos?: (service: Service) => ReactNode;
  onDone: (saved: boolean) => void;
}) {
  const { api, t, lang } = useApp();
  const [values, setValues] = useState(serviceValues(service));
  const [errors, setErrors] = useState<FormErrors | null>(null);
  const [busy, setBusy] = useState(false);
  const titleId = `edit-${service.id}`;

  async function save(event: FormEvent) {
    event.preventDefault();
    setErrors(null);
    const built = servicePatch(service, values);
    if (!built.body) {
      setErrors({ fields: Object.fromEntries(Object.entries(built.errors).map(([name, kind]) => [name, t[kind]])) });
      return;
    }
    setBusy(true);
    try {
      const { data, error } = await api.PATCH("/services/{service_id}", { params: { path: { service_id: service.id ?? "" } },
                                                                          body: built.body });
      if (data) onDone(true); else setErrors(formErrors(error, lang));
    } catch {
      setErrors(networkError(lang));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card" onSubmit={save} noValidate aria-labelledby={titleId} data-testid="service-editor">
      <h3 id={titleId}>{t.editService}: {service.title}</h3>
      <FormMessage errors={errors} />
      <ServiceFields values={values} errors={errors} tags categories={categories} t={t} lang={lang}
                     set={(name, value) => setValues((v) => ({ ...v, [name]: value }))} />
      {/* Photos have an editor of their own (uploads), passed in by the page; this form never sends image_urls. */}
      {photos ? photos(service) : <p className="meta">{t.photosElsewhere}</p>}
      <button type="submit" disabled={busy}>{busy ? t.sending : t.save}</button>{" "}
      <button type="button" className="secondary" onClick={() => onDone(false)}>{t.cancelEdit}</button>
    </form>
  );
}

/** The seller's services: publish, edit, pause and resume. `photos` renders the photo editor of a service. */
export function SellerServices({ photos }: { photos?: (service: Service) => ReactNode } = {}) {
  const { api, t, lang, session } = useApp();
  const [services, setServices] = useState<Service[]>([]);
  const [categories, setCategories] = useState<Schemas["Category"][]>([]);
  const [values, setValues] = useState(EMPTY);
  const [errors, setErrors] = useState<FormErrors | null>(null);
  const [busy, setBusy] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  const load = useCallback(async () => {
    const { data } = await api.GET("/me/services", { params: { query: { page_size: 100 } } });
    setServices(data?.items ?? []);
  }, [api]);

  useEffect(() => {
    if (!session) return;
    load().catch(() => setErrors(networkError(lang)));
    api.GET("/categories").then(({ data }) => setCategories(data ?? [])).catch(() => undefined);
  }, [api, session, load, lang]);

  async function toggle(service: Service) {
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

  async function doneEditing(changed: boolean) {
    setEditing(null);
    setSaved(changed);
    if (changed) await load().catch(() => setErrors(networkError(lang)));
  }

  return (
    <section aria-labelledby="my-services">
      <h2 id="my-services">{t.myServices}</h2>
      {saved && <p className="form-ok" role="status">{t.saved}</p>}
      <ul className="orders">
        {services.map((s) => (
          <li key={s.id} className="card" data-testid="my-service">
            {editing === s.id ? <ServiceEditor service={s} categories={categories} photos={photos} onDone={doneEditing} /> : <>
              <strong>{s.title}</strong> · {priceText(s, t, lang)}{" "}
              {s.status === "paused" && <span className="tag">{t.paused}</span>}{" "}
              <button type="button" className="secondary small" onClick={() => { setSaved(false); setEditing(s.id ?? null); }}>
                {t.edit}<span className="sr-only">: {s.title}</span>
              </button>{" "}
              <button type="button" className="secondary small" onClick={() => toggle(s)}>
                {s.status === "paused" ? t.resume : t.pause}<span className="sr-only">: {s.title}</span>
              </button>
              <ServicePhotosEditor service={s} />
            </>}
          </li>
        ))}
      </ul>
      <form className="card" onSubmit={create} noValidate aria-labelledby="new-service">
        <h3 id="new-service">{t.newService}</h3>
        <FormMessage errors={errors} />
        <ServiceFields values={values} errors={errors} categories={categories} t={t} lang={lang}
                       set={(name, value) => setValues((v) => ({ ...v, [name]: value }))} />
        <button type="submit" disabled={busy}>{busy ? t.sending : t.publish}</button>
      </form>
    </section>
  );
}
