"use client";

import { useCallback, useEffect, useState, type FormEvent } from "react";
import type { Schemas } from "@/api/client";
import { formErrors, networkError, type FormErrors } from "@/lib/errors";
import { formatShortDateTime } from "@/lib/format";
import { FormMessage, TextField } from "./forms";
import { useApp } from "./providers";

type Weekday = Schemas["WorkingRange"]["weekday"];
const WEEKDAYS: Weekday[] = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
const NAMES = { es: ["Lunes", "Martes", "Miércoles", "Jueves", "Viernes", "Sábado", "Domingo"],
                en: ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"] };

type Range = Schemas["WorkingRange"];

/** Weekly hours (any number of ranges a day, e.g. a lunch break) and time off: they decide the free slots. */
export function SellerAvailability() {
  const { api, lang, session } = useApp();
  const es = lang === "es";
  const [zone, setZone] = useState({ time_zone: "Europe/Madrid", buffer_minutes: 0 });
  const [ranges, setRanges] = useState<Range[]>([]);
  const [timeOff, setTimeOff] = useState<Schemas["TimeOff"][]>([]);
  const [newOff, setNewOff] = useState({ start: "", end: "", note: "" });
  const [errors, setErrors] = useState<FormErrors | null>(null);
  const [offErrors, setOffErrors] = useState<FormErrors | null>(null);
  const [saved, setSaved] = useState(false);

  const load = useCallback(async () => {
    const { data } = await api.GET("/me/availability");
    if (!data) return;
    setZone({ time_zone: data.time_zone ?? "Europe/Madrid", buffer_minutes: data.buffer_minutes ?? 0 });
    setRanges((data.weekly_hours ?? []) as Range[]);
    setTimeOff(data.time_off ?? []);
  }, [api]);

  useEffect(() => {
    if (session) load().catch(() => setErrors(networkError(lang)));
  }, [session, load, lang]);

  async function saveHours(event: FormEvent) {
    event.preventDefault();
    setErrors(null);
    setSaved(false);
    try {
      const { data, error } = await api.PUT("/me/availability", { body: { ...zone, weekly_hours: ranges } });
      if (data) setSaved(true); else setErrors(formErrors(error, lang));
    } catch {
      setErrors(networkError(lang));
    }
  }

  async function addTimeOff(event: FormEvent) {
    event.preventDefault();
    setOffErrors(null);
    const iso = (local: string) => (local ? new Date(local).toISOString() : "");
    try {
      const { data, error } = await api.POST("/me/time-off", { body: { start: iso(newOff.start), end: iso(newOff.end), note: newOff.note } });
      if (data) { setNewOff({ start: "", end: "", note: "" }); await load(); } else setOffErrors(formErrors(error, lang));
    } catch {
      setOffErrors(networkError(lang));
    }
  }

  const change = (range: Range, update: Partial<Range>) => setRanges((all) => all.map((r) => (r === range ? { ...r, ...update } : r)));
  const when = (value?: string) => formatShortDateTime(value, lang);
  return (
    <section className="card" aria-labelledby="availability-title">
      <h2 id="availability-title">{es ? "Horario y vacaciones" : "Hours and time off"}</h2>
      <form onSubmit={saveHours} noValidate>
        <FormMessage errors={errors} ok={saved ? (es ? "Guardado." : "Saved.") : undefined} />
        {errors?.fields.weekly_hours && <p className="field-error" role="alert">{errors.fields.weekly_hours}</p>}
        <table className="hours-table">
          <caption className="sr-only">{es ? "Horario semanal" : "Weekly hours"} ({zone.time_zone})</caption>
          <tbody>
            {WEEKDAYS.map((weekday, i) => {
              const day = NAMES[lang][i];
              const mine = ranges.filter((r) => r.weekday === weekday);
              return (
                <tr key={weekday}>
                  <th scope="row">{day}</th>
                  <td>
                    {mine.length === 0 && <span className="meta">{es ? "Cerrado" : "Closed"} </span>}
                    {mine.map((range, j) => (
                      <span key={j} className="range">
                        <input type="time" step={900} aria-label={`${day} ${j + 1}: ${es ? "desde" : "from"}`} value={range.start}
                               onChange={(e) => change(range, { start: e.target.value })} />
                        –
                        <input type="time" step={900} aria-label={`${day} ${j + 1}: ${es ? "hasta" : "until"}`} value={range.end}
                               onChange={(e) => change(range, { end: e.target.value })} />
                        <button type="button" className="link-button" onClick={() => setRanges((all) => all.filter((r) => r !== range))}>
                          {es ? "Quitar" : "Remove"}<span className="sr-only"> {day} {j + 1}</span>
                        </button>
                      </span>
                    ))}
                    <button type="button" className="link-button" onClick={() => setRanges((all) => [...all, { weekday, start: "09:00", end: "14:00" }])}>
                      {es ? "Añadir tramo" : "Add hours"}<span className="sr-only"> {day}</span>
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <button type="submit">{es ? "Guardar horario" : "Save hours"}</button>
      </form>
      <h3>{es ? "Vacaciones y ausencias" : "Time off"}</h3>
      <ul data-testid="time-off">
        {timeOff.map((off) => (
          <li key={off.id}>{when(off.start)} – {when(off.end)} {off.note}{" "}
            <button type="button" className="link-button" onClick={async () => {
              await api.DELETE("/me/time-off/{time_off_id}", { params: { path: { time_off_id: off.id ?? "" } } }).catch(() => undefined);
              await load();
            }}>{es ? "Quitar" : "Remove"}</button></li>
        ))}
      </ul>
      <form onSubmit={addTimeOff} noValidate className="inline-fields">
        <FormMessage errors={offErrors} />
        <TextField label={es ? "Desde" : "From"} type="datetime-local" value={newOff.start} error={offErrors?.fields.start}
                   onChange={(e) => setNewOff((v) => ({ ...v, start: e.target.value }))} />
        <TextField label={es ? "Hasta" : "Until"} type="datetime-local" value={newOff.end} error={offErrors?.fields.end}
                   onChange={(e) => setNewOff((v) => ({ ...v, end: e.target.value }))} />
        <TextField label={es ? "Nota" : "Note"} maxLength={200} value={newOff.note} error={offErrors?.fields.note}
                   onChange={(e) => setNewOff((v) => ({ ...v, note: e.target.value }))} />
        <button type="submit">{es ? "Añadir ausencia" : "Add time off"}</button>
      </form>
    </section>
  );
}
