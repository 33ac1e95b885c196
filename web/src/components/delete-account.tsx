"use client";

import Link from "next/link";
import { useState, type FormEvent } from "react";
import { FormMessage, TextField } from "@/components/forms";
import { useApp } from "@/components/providers";
import { formErrors, networkError, type FormErrors } from "@/lib/errors";
import { ACCOUNT_DELETED, deletionBlockers, rememberedExportKey, type DeletionBlocker } from "@/lib/my-data";

/** "Eliminar mi cuenta": confirmed with the current password; the API says which orders stand in the way. */
export function DeleteAccountSection() {
  const { api, t, lang, session } = useApp();
  const [open, setOpen] = useState(false);
  const [password, setPassword] = useState("");
  const [errors, setErrors] = useState<FormErrors | null>(null);
  const [blockers, setBlockers] = useState<DeletionBlocker[]>([]);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setErrors(null);
    setBlockers([]);
    try {
      const { error, response } = await api.DELETE("/me", { body: { password } });
      if (response.status === 204) {
        // The API has already ended every session; this clears the refresh cookie the page cannot reach.
        await fetch("/api/auth/logout", { method: "POST" }).catch(() => undefined);
        if (session) sessionStorage.removeItem(rememberedExportKey(session.user.id));
        // A full load, not a client-side move: nothing of the deleted person stays in this tab's memory.
        window.location.replace(`/?${ACCOUNT_DELETED.param}=${ACCOUNT_DELETED.value}`);
        return;
      }
      if (response.status === 409) {
        const found = deletionBlockers(error);
        setBlockers(found);
        // An answer that names no order is shown as the API wrote it.
        setErrors(found.length ? null : formErrors(error, lang));
        return;
      }
      setErrors(formErrors(error, lang));
    } catch {
      setErrors(networkError(lang));
    } finally {
      setBusy(false);
    }
  }

  const statusName = (status: string) => (t as Record<string, string>)[`status_${status}`] ?? status;
  return (
    <section className="card" aria-labelledby="delete-title" data-testid="delete-account">
      <h2 id="delete-title">{t.deleteTitle}</h2>
      <p>{t.deleteIntro}</p>
      {!open ? (
        <button type="button" className="danger" onClick={() => setOpen(true)}>{t.deleteStart}</button>
      ) : (
        <form onSubmit={submit} noValidate aria-labelledby="delete-title">
          <FormMessage errors={errors} />
          {blockers.length > 0 && (
            <div role="alert" className="form-error" data-testid="delete-blockers">
              <p>{t.deleteBlocked}</p>
              <ul>
                {blockers.map((b) => (
                  <li key={`${b.order_id}-${b.kind}`}>
                    <Link href={`/pedidos/${b.order_id}`}>{t.order} {b.order_id.slice(0, 8)}</Link>
                    {": "}{t[`blocker_${b.kind}`]}{b.status ? ` (${statusName(b.status)})` : ""}
                  </li>
                ))}
              </ul>
            </div>
          )}
          <TextField label={t.deleteCurrentPassword} name="password" type="password" autoComplete="current-password"
                     required value={password} onChange={(e) => setPassword(e.target.value)}
                     error={errors?.fields.password} />
          <div className="actions">
            <button type="submit" className="danger" disabled={busy}>{busy ? t.sending : t.deleteConfirm}</button>
            <button type="button" className="secondary" disabled={busy}
                    onClick={() => { setOpen(false); setPassword(""); setErrors(null); setBlockers([]); }}>
              {t.deleteCancel}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
