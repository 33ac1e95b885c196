"use client";

import { useParams, useRouter } from "next/navigation";
import { useEffect, useState, type FormEvent } from "react";
import { idempotencyKey, type Schemas } from "@/api/client";
import { FormMessage, TextArea, TextField } from "@/components/forms";
import { priceText } from "@/components/service-card";
import { formErrors, networkError, type FormErrors } from "@/lib/errors";
import { useRequireSession } from "@/lib/use-session";

function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export default function BookPage() {
  const { serviceId } = useParams<{ serviceId: string }>();
  const { api, t, lang, session } = useRequireSession();
  const router = useRouter();
  const [service, setService] = useState<Schemas["Service"] | null>(null);
  const [slots, setSlots] = useState<Schemas["Slot"][] | null>(null);
  const [loadError, setLoadError] = useState<FormErrors | null>(null);
  const [values, setValues] = useState({ start: "", address: "", notes: "", message: "" });
  const [errors, setErrors] = useState<FormErrors | null>(null);
  const [busy, setBusy] = useState(false);
  // One key per booking attempt: resubmitting after a network failure cannot book twice.
  const [attempt, setAttempt] = useState(idempotencyKey);

  useEffect(() => {
    if (!session) return;
    const from = new Date();
    const to = new Date(from.getTime() + 13 * 86_400_000);
    (async () => {
      const [svc, free] = await Promise.all([
        api.GET("/services/{service_id}", { params: { path: { service_id: serviceId } } }),
        api.GET("/services/{service_id}/slots", { params: { path: { service_id: serviceId },
                                                            query: { from: isoDate(from), to: isoDate(to) } } }),
      ]);
      if (svc.data) setService(svc.data);
      else setLoadError(formErrors(svc.error, lang));
      if (free.data) setSlots(free.data);
      else setLoadError(formErrors(free.error, lang));
    })().catch(() => setLoadError(networkError(lang)));
  }, [api, serviceId, session, lang]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setErrors(null);
    try {
      const quote = service?.price_model === "quote";
      const result = quote
        ? await api.POST("/services/{service_id}/quote-requests", { params: { path: { service_id: serviceId }, header: attempt },
                         body: { start: values.start, address: values.address, notes: values.notes, message: values.message } })
        : await api.POST("/orders", { params: { header: attempt }, body: { service_id: serviceId, start: values.start, address: values.address, notes: values.notes } });
      const order = result.data as { order?: { id?: string } } | undefined;
      if (order?.order?.id) router.push(`/pedidos/${order.order.id}`);
      else {
        setErrors(formErrors(result.error, lang));
        setAttempt(idempotencyKey());
      }
    } catch {
      setErrors(networkError(lang));
    } finally {
      setBusy(false);
    }
  }

  if (!session) return <p>{t.needLogin}</p>;
  const byDay = new Map<string, Schemas["Slot"][]>();
  for (const slot of slots ?? []) {
    const day = String(slot.local_start ?? slot.start ?? "").slice(0, 10);
    byDay.set(day, [...(byDay.get(day) ?? []), slot]);
  }
  const quote = service?.price_model === "quote";
  return (
    <section className="narrow">
      <h1>{service ? service.title : t.loading}</h1>
      {service && <p className="price"><strong>{priceText(service, t, lang)}</strong> · {service.duration_minutes} {t.minutes}</p>}
      <FormMessage errors={loadError} />
      <form onSubmit={submit} noValidate className="card">
        <FormMessage errors={errors} />
        <fieldset>
          <legend>{t.chooseSlot}</legend>
          {slots && slots.length === 0 && <p>{t.noSlots}</p>}
          {[...byDay.entries()].map(([day, daySlots]) => (
            <div key={day} className="slot-day">
              <h2>{new Date(`${day}T12:00:00`).toLocaleDateString(lang === "es" ? "es-ES" : "en-GB", { weekday: "long", day: "numeric", month: "long" })}</h2>
              <div className="slots">
                {daySlots.map((slot) => (
                  <label key={slot.start} className={values.start === slot.start ? "slot on" : "slot"}>
                    <input type="radio" name="start" value={slot.start} checked={values.start === slot.start}
                           onChange={() => setValues((v) => ({ ...v, start: slot.start ?? "" }))} />
                    {String(slot.local_start ?? "").slice(11, 16)}
                  </label>
                ))}
              </div>
            </div>
          ))}
          {errors?.fields.start && <p className="field-error" role="alert">{errors.fields.start}</p>}
        </fieldset>
        <TextField label={t.address} name="address" autoComplete="street-address" required maxLength={300}
                   value={values.address} onChange={(e) => setValues((v) => ({ ...v, address: e.target.value }))}
                   error={errors?.fields.address} />
        {quote && (
          <TextArea label={t.quoteRequest} name="message" required maxLength={1000} value={values.message}
                    onChange={(e) => setValues((v) => ({ ...v, message: e.target.value }))} error={errors?.fields.message} />
        )}
        <TextArea label={t.notes} name="notes" maxLength={1000} value={values.notes}
                  onChange={(e) => setValues((v) => ({ ...v, notes: e.target.value }))} error={errors?.fields.notes} />
        <button type="submit" disabled={busy}>{busy ? t.sending : quote ? t.askQuote : t.confirmBooking}</button>
      </form>
    </section>
  );
}
