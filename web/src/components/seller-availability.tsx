"use client";

import { useCallback, useEffect, useState, type FormEvent } from "react";
import type { Schemas } from "@/api/client";
import { formErrors, networkError, type FormErrors } from "@/lib/errors";
import { formatShortDateTime } from "@/lib/format";
import { availabilityPatch, WEEKDAYS, type Availability, type Range } from "@/lib/settings";
import { FormMessage, TextField } from "./forms";
import { useApp } from "./providers";

const NAMES = { es: ["Lunes", "Martes", "Miércoles", "Jueves", "Viernes", "Sábado", "Domingo"],
                en: ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"] };

/** Weekly hours (any number of ranges a day, e.g. a lunch break) and time off: they decide the free slots,
 *  and the seller's public profile shows these same hours. Saving PATCHes the week alone. */
export function SellerAvailability() {
  const { api, lang, session } = useApp();
  const es = lang === "es";
  const [stored, setStored] = useState<Availability | null>(null);
  const [ranges, setRanges] = useState<Range[]>([]);
  const [timeOff, setTimeOff] = useState<Schemas["TimeOff"][]>([]);
  const [newOff, setNewOff] = useState({ start: "", end: "", note: "" });
  const [errors, setErrors] = useState<FormErrors | null>(null);
  const [offErrors, setOffErrors] = useState<FormErrors | null>(null);
  const [saved, setSaved] = useState(false);

  const load = useCallback(async () => {
    const { data } = await api.GET("/me/availability");
    if (!data) return;
    setStored(data);
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
      const { data, error } = await api.PATCH("/me/availability", { body: availabilityPatch(stored, ranges) });
      if (data) { setSaved(true); setStored(data); setRanges((data.weekly_hours ?? []) as Range[]); }
      else setErrors(formErrors(error, lang));
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
      <p className="meta">{es ? "Tus clientes ven este horario en tu perfil, y es el único en el que pueden reservar."
                              : "Buyers see these hours on your profile, and they are the only hours they can book."}</p>
      <form onSubmit={saveHours} noValidate>
        <FormMessage errors={errors} ok={saved ? (es ? "Guardado." : "Saved.") : undefined} />
        {errors?.fields.weekly_hours && <p className="field-error" role="alert">{errors.fields.weekly_hours}</p>}
        <table className="hours-table">
          <caption className="sr-only">{es ? "Horario semanal" : "Weekly hours"} ({stored?.time_zone})</caption>
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
