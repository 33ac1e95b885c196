"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { FormMessage } from "@/components/forms";
import { useApp } from "@/components/providers";
import { formErrors, networkError, type ApiErrorBody, type FormErrors } from "@/lib/errors";
import { formatShortDateTime } from "@/lib/format";
import {
  archiveFileName, downloadToken, followExport, rememberedExportKey, saveBlob, stillPreparing, type DataExport,
} from "@/lib/my-data";

/** "Descargar mis datos": ask for an export, follow it while the scheduler builds it, then save the archive. */
export function DataExportSection() {
  const { api, t, lang, session } = useApp();
  const [exported, setExported] = useState<DataExport | null>(null);
  const [errors, setErrors] = useState<FormErrors | null>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const following = useRef<string | null>(null);
  const userId = session?.user.id ?? "";

  const readStatus = useCallback(async (id: string): Promise<DataExport> => {
    const { data, error, response } = await api.GET("/me/exports/{export_id}", { params: { path: { export_id: id } } });
    if (data) return data;
    // Gone (purged, or another person's after a sign-in switch): nothing to follow.
    if (response.status === 404) return { id, status: "expired" };
    throw new Error((error as ApiErrorBody | undefined)?.message ?? String(response.status));
  }, [api]);

  const follow = useCallback((id: string) => {
    following.current = id;
    void followExport(() => readStatus(id), setExported, { stopped: () => following.current !== id })
      .catch(() => { if (following.current === id) setErrors({ form: t.exportLost, fields: {} }); });
  }, [readStatus, t.exportLost]);

  useEffect(() => {
    if (!userId) return;
    // The export asked for earlier on this tab: shown again rather than asking for (and counting) another.
    const remembered = sessionStorage.getItem(rememberedExportKey(userId));
    if (remembered) follow(remembered);
    return () => { following.current = null; };
  }, [userId, follow]);

  async function request() {
    setBusy(true);
    setErrors(null);
    setSaved(false);
    try {
      const { data, error, response } = await api.POST("/me/export");
      if (!data) {
        setErrors(response.status === 429 ? { form: t.exportTooMany, fields: {} } : formErrors(error, lang));
        return;
      }
      if (data.id) {
        sessionStorage.setItem(rememberedExportKey(userId), data.id);
        setExported(data);
        follow(data.id);
      }
    } catch {
      setErrors(networkError(lang));
    } finally {
      setBusy(false);
    }
  }

  async function fetchArchive(current: DataExport) {
    const token = downloadToken(current.download_url);
    if (!current.id || !token) return { status: 404 };
    const { data, response } = await api.GET("/me/exports/{export_id}/archive", {
      params: { path: { export_id: current.id }, query: { token } }, parseAs: "blob",
    });
    return { status: response.status, blob: data };
  }

  async function download() {
    if (!exported?.id) return;
    setBusy(true);
    setErrors(null);
    setSaved(false);
    try {
      let answer = await fetchArchive(exported);
      if (answer.status === 404) {
        // The link lives a few minutes: a page left open longer reads the status again for a fresh one.
        const fresh = await readStatus(exported.id);
        setExported(fresh);
        answer = fresh.status === "ready" ? await fetchArchive(fresh) : answer;
      }
      if (answer.blob) {
        saveBlob(answer.blob, archiveFileName(exported), { document, url: URL });
        setSaved(true);
      } else {
        setErrors({ form: t.export_expired, fields: {} });
      }
    } catch {
      setErrors(networkError(lang));
    } finally {
      setBusy(false);
    }
  }

  const status = exported?.status;
  const when = (iso: string | null | undefined) =>
    formatShortDateTime(iso, lang);
  return (
    <section className="card" aria-labelledby="export-title" data-testid="data-export">
      <h2 id="export-title">{t.exportTitle}</h2>
      <p>{t.exportIntro}</p>
      <FormMessage errors={errors} ok={saved ? t.exportDownloaded : undefined} />
      {exported && (
        <p role="status" aria-live="polite">
          {t.exportStatus}: <strong data-testid="export-status">{status ? t[`export_${status}`] : ""}</strong>
        </p>
      )}
      {status === "ready" && (
        <>
          {exported?.available_until && <p>{t.exportAvailableUntil}: {when(exported.available_until)}</p>}
          {exported?.files?.length ? <p>{t.exportFiles}: {exported.files.join(", ")}</p> : null}
          <button type="button" onClick={download} disabled={busy}>{busy ? t.exportDownloading : t.exportDownload}</button>
        </>
      )}
      {/* A ready copy is downloaded, not asked for again: each request counts towards the day's few. */}
      {!stillPreparing(status) && status !== "ready" && (
        <p>
          <button type="button" onClick={request} disabled={busy}>
            {exported ? t.exportRequestAgain : t.exportRequest}
          </button>
        </p>
      )}
    </section>
  );
}
