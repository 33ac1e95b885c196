"use client";

import Link from "next/link";
import { useParams, useRouter, useSearchParams } from "next/navigation";
import { Suspense, useEffect, useMemo, useState, type FormEvent } from "react";
import { idempotencyKey, type Schemas } from "@/api/client";
import { BookingSummary } from "@/components/booking-summary";
import { FormMessage, TextArea, TextField } from "@/components/forms";
import { priceText } from "@/components/service-card";
import { formErrors, networkError, type FormErrors } from "@/lib/errors";
import { dayAtNoon, dayChip, formatDay, formatTime, localDay, localMinutes, nextDays } from "@/lib/format";
import { useRequireSession } from "@/lib/use-session";
import "../../booking.css";

const DAYS = 14;
type Slot = Schemas["Slot"];
// Where the day splits for people: morning until two, afternoon until eight, then evening.
const PARTS = [["morning", 0, 14 * 60], ["afternoon", 14 * 60, 20 * 60], ["evening", 20 * 60, 24 * 60]] as const;

export default function BookPage() {
  return <Suspense><Booking /></Suspense>;
}

function Booking() {
  const { serviceId } = useParams<{ serviceId: string }>();
  const params = useSearchParams();
  const { api, t, lang, session } = useRequireSession();
  const router = useRouter();
  const [service, setService] = useState<Schemas["Service"] | null>(null);
  const [sellerName, setSellerName] = useState("");
  const [slots, setSlots] = useState<Slot[] | null>(null);
  const [terms, setTerms] = useState<Schemas["BookingTerms"] | null>(null);
  const [loadError, setLoadError] = useState<FormErrors | null>(null);
  const [values, setValues] = useState({ start: params.get("hora") ?? "", address: "", notes: "", message: "" });
  const [allTimes, setAllTimes] = useState(false);
  const [errors, setErrors] = useState<FormErrors | null>(null);
  const [busy, setBusy] = useState(false);
  // One key per booking attempt: resubmitting after a network failure cannot book twice.
  const [attempt, setAttempt] = useState(idempotencyKey);
  const days = useMemo(() => nextDays(DAYS), []);
  const firstDay = days[0] ?? "";
  const lastDay = days[days.length - 1] ?? firstDay;

  useEffect(() => {
    if (!session) return;
    (async () => {
      const [svc, free] = await Promise.all([
        api.GET("/services/{service_id}", { params: { path: { service_id: serviceId } } }),
        api.GET("/services/{service_id}/slots", { params: { path: { service_id: serviceId },
                                                            query: { from: firstDay, to: lastDay } } }),
      ]);
      if (svc.data) setService(svc.data);
      else setLoadError(formErrors(svc.error, lang));
      if (free.data) setSlots(free.data);
      else setLoadError(formErrors(free.error, lang));
      if (svc.data?.seller_id) {
        const seller = await api.GET("/sellers/{seller_id}", { params: { path: { seller_id: svc.data.seller_id } } });
        setSellerName(seller.data?.display_name ?? "");
      }
    })().catch(() => setLoadError(networkError(lang)));
  }, [api, serviceId, session, lang, firstDay, lastDay]);

  // The fee and the policy come from the API, for the time chosen (until when cancelling is free).
  useEffect(() => {
    if (!session) return;
    const query = values.start ? { start: values.start } : {};
    api.GET("/services/{service_id}/booking-terms", { params: { path: { service_id: serviceId }, query } })
      .then(({ data }) => { if (data) setTerms(data); })
      .catch(() => undefined);
  }, [api, serviceId, session, values.start]);

  const byDay = useMemo(() => {
    const map = new Map<string, Slot[]>();
    for (const slot of slots ?? []) {
      const day = localDay(slot.start, slot.time_zone);
      map.set(day, [...(map.get(day) ?? []), slot]);
    }
    return map;
  }, [slots]);
  const chosen = slots?.find((s) => s.start === values.start);
  const firstFree = days.find((d) => byDay.has(d)) ?? firstDay;
  const asked = params.get("dia");
  const day: string = chosen ? localDay(chosen.start, chosen.time_zone) : asked && days.includes(asked) ? asked : firstFree;
  const daySlots = byDay.get(day) ?? [];
  // A short list by default: on the hour and the half hour; every quarter on request.
  const halfHours = daySlots.filter((s) => localMinutes(s.start, s.time_zone) % 30 === 0);
  const showAll = allTimes || halfHours.length === 0 || (chosen !== undefined && !halfHours.includes(chosen));
  const shown = showAll ? daySlots : halfHours;

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
  const quote = service?.price_model === "quote";
  const words = t as unknown as Record<string, string>;
  return (
    <section className="booking">
      <header className="booking-head">
        <h1>{service ? service.title : t.loading}</h1>
        {service && (
          <p className="muted">
            {sellerName && <><Link href={`/vendedores/${service.seller_id}`}>{sellerName}</Link> · </>}
            <strong>{priceText(service, t, lang)}</strong> · {service.duration_minutes} {t.minutes}
          </p>
        )}
      </header>
      <FormMessage errors={loadError} />
      <form onSubmit={submit} noValidate className="booking-layout">
        <div className="booking-steps">
          <FormMessage errors={errors} />
          <section className="card" aria-labelledby="step-day">
            <h2 id="step-day">{t.bookStepDay}</h2>
            <ul className="day-strip" data-testid="day-strip">
              {days.map((d) => {
                const chip = dayChip(dayAtNoon(d), lang);
                const label = formatDay(dayAtNoon(d), lang);
                // The chip shows "mar 8 dic"; a screen reader hears the whole day (no aria-label that would not
                // contain the visible words).
                const inner = (full: string) => <><span aria-hidden="true"><span className="dow">{chip.weekday}</span><span className="dom">{chip.day}</span><span className="mon">{chip.month}</span></span><span className="sr-only">{full}</span></>;
                return (
                  <li key={d}>
                    {byDay.has(d) ? (
                      <Link href={`?dia=${d}`} scroll={false} replace className={d === day ? "day on" : "day"}
                            aria-current={d === day ? "date" : undefined}
                            onClick={() => { setValues((v) => ({ ...v, start: "" })); setAllTimes(false); }}>{inner(label)}</Link>
                    ) : (
                      <span className="day off" aria-disabled="true">{inner(`${label}: ${t.dayFull}`)}</span>
                    )}
                  </li>
                );
              })}
            </ul>
          </section>

          <fieldset className="card" aria-describedby={errors?.fields.start ? "start-error" : undefined}>
            <legend><h2>{t.bookStepTime}</h2></legend>
            <p className="day-title">{formatDay(dayAtNoon(day), lang)}</p>
            {slots && slots.length === 0 && <p>{t.noSlots}</p>}
            {slots && slots.length > 0 && daySlots.length === 0 && <p>{t.noTimesThisDay}</p>}
            {PARTS.map(([part, from, to]) => {
              const inPart = shown.filter((s) => { const m = localMinutes(s.start, s.time_zone); return m >= from && m < to; });
              if (inPart.length === 0) return null;
              return (
                <div key={part} className="part-of-day">
                  <h3>{words[part]}</h3>
                  <div className="times">
                    {inPart.map((slot) => (
                      <label key={slot.start} className={values.start === slot.start ? "slot on" : "slot"}>
                        <input type="radio" name="start" value={slot.start} checked={values.start === slot.start}
                               onChange={() => setValues((v) => ({ ...v, start: slot.start ?? "" }))} />
                        {formatTime(slot.start, lang, slot.time_zone)}
                      </label>
                    ))}
                  </div>
                </div>
              );
            })}
            {halfHours.length > 0 && halfHours.length < daySlots.length && (
              <button type="button" className="link-button" onClick={() => setAllTimes(!showAll)}>
                {showAll ? t.fewerTimes : t.moreTimes}
              </button>
            )}
            {errors?.fields.start && <p id="start-error" className="field-error" role="alert">{errors.fields.start}</p>}
          </fieldset>

          <section className="card" aria-labelledby="step-where">
            <h2 id="step-where">{t.bookStepWhere}</h2>
            <TextField label={t.address} name="address" autoComplete="street-address" required maxLength={300}
                       value={values.address} onChange={(e) => setValues((v) => ({ ...v, address: e.target.value }))}
                       error={errors?.fields.address} />
            {quote && (
              <TextArea label={t.quoteRequest} name="message" required maxLength={1000} value={values.message}
                        onChange={(e) => setValues((v) => ({ ...v, message: e.target.value }))} error={errors?.fields.message} />
            )}
            <TextArea label={t.notes} name="notes" maxLength={1000} value={values.notes} rows={3}
                      onChange={(e) => setValues((v) => ({ ...v, notes: e.target.value }))} error={errors?.fields.notes} />
          </section>
        </div>

        <BookingSummary t={t} lang={lang} facts={{
          sellerName, serviceTitle: service?.title, start: chosen?.start, end: chosen?.end, zone: chosen?.time_zone,
          address: values.address, quote, breakdown: terms?.breakdown as Schemas["Breakdown"] | null | undefined,
          policy: terms?.cancellation_policy, fullRefundUntil: terms?.full_refund_until,
        }}>
          <button type="submit" className="wide" disabled={busy}>{busy ? t.sending : quote ? t.askQuote : t.confirmBooking}</button>
        </BookingSummary>
      </form>
    </section>
  );
}
