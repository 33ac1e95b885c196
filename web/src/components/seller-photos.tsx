"use client";

import { useEffect, useId, useState, type ChangeEvent } from "react";
import type { Schemas } from "@/api/client";
import type { Dict } from "@/i18n";
import { asPhoto, SellerAvatar, type Photo } from "./photos";
import { useApp } from "./providers";

const ACCEPT = "image/jpeg,image/png,image/webp";

/** The file goes as multipart/form-data, field `file`; the browser sets the boundary. */
function multipart(file: File) {
  return {
    body: { file: "" } as Schemas["PhotoUpload"],
    bodySerializer: () => { const form = new FormData(); form.append("file", file); return form; },
  };
}

/** What went wrong, in the person's language (the API names the field; we name the problem). */
function photoProblem(status: number, reason: unknown, t: Dict): string {
  if (status === 413) return t.photoTooLarge;
  if (status === 415) return t.photoNotImage;
  if (reason === "too_many_photos") return t.photoTooMany;
  if (status === 422) return t.photoTooSmall;
  if (reason === "seller_profile_missing") return t.photoNeedsProfile;
  return t.photoFailed;
}

function reasonOf(error: unknown): unknown {
  return error && typeof error === "object" && "reason" in error ? (error as { reason: unknown }).reason : undefined;
}

function PickFile({ label, onPick, disabled }: { label: string; onPick: (file: File) => void; disabled?: boolean }) {
  const id = useId();
  function change(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    event.target.value = "";  // choosing the same file again still uploads it
    if (file) onPick(file);
  }
  return (
    <label htmlFor={id} className={`button file-pick${disabled ? " disabled" : ""}`}>
      {label}
      <input id={id} type="file" accept={ACCEPT} className="sr-only" onChange={change} disabled={disabled} />
    </label>
  );
}

/** Upload, replace or remove the seller's own photo. */
export function SellerPhotoEditor() {
  const { api, t, session } = useApp();
  const [name, setName] = useState("");
  const [photo, setPhoto] = useState<Photo | null>(null);
  const [hasProfile, setHasProfile] = useState<boolean | null>(null);
  const [status, setStatus] = useState("");
  const [problem, setProblem] = useState("");
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!session) return;
    setName(session.user.display_name ?? "");
    api.GET("/me/seller-profile").then(({ data }) => {
      setHasProfile(Boolean(data));
      if (data) { setPhoto(asPhoto(data.photo)); setName(data.display_name ?? ""); }
    }).catch(() => setProblem(t.photoFailed));
  }, [api, session, t]);

  async function run(action: () => Promise<{ data?: Schemas["SellerProfile"]; error?: unknown; response: Response }>,
                     done: string) {
    setBusy(true);
    setProblem("");
    setStatus(t.photoUploading);
    try {
      const { data, error, response } = await action();
      if (data) { setPhoto(asPhoto(data.photo)); setStatus(done); }
      else { setStatus(""); setProblem(photoProblem(response.status, reasonOf(error), t)); }
    } catch {
      setStatus("");
      setProblem(t.photoFailed);
    } finally {
      setBusy(false);
    }
  }

  const upload = (file: File) => run(() => api.PUT("/me/seller-profile/photo", multipart(file)), t.photoSaved);
  const remove = () => run(() => api.DELETE("/me/seller-profile/photo"), t.photoRemoved);

  return (
    <section className="card photo-editor" aria-labelledby="photo-title" data-testid="seller-photo-editor">
      <h2 id="photo-title">{t.photoTitle}</h2>
      {hasProfile === false ? <p>{t.photoNeedsProfile}</p> : <>
        <div className="photo-row">
          <SellerAvatar name={name || "?"} photo={photo} size={96} />
          <div>
            <p className="hint">{t.photoHint}</p>
            <p className="actions">
              <PickFile label={photo ? t.photoReplace : t.photoUpload} onPick={upload} disabled={busy || hasProfile === null} />
              {photo && <button type="button" className="secondary" onClick={remove} disabled={busy}>{t.photoRemove}</button>}
            </p>
          </div>
        </div>
        <p role="status" aria-live="polite">{status}</p>
        {problem && <p className="field-error" role="alert">{problem}</p>}
      </>}
    </section>
  );
}

/** A service's gallery in the seller panel: add, move earlier or later, delete. */
export function ServicePhotosEditor({ service }: { service: Schemas["Service"] }) {
  const { api, t } = useApp();
  const [photos, setPhotos] = useState<Photo[]>((service.photos ?? []) as Photo[]);
  const [problem, setProblem] = useState("");
  const [busy, setBusy] = useState(false);
  const path = { params: { path: { service_id: service.id ?? "" } } };

  async function run(action: () => Promise<{ data?: Schemas["Service"]; error?: unknown; response: Response }>) {
    setBusy(true);
    setProblem("");
    try {
      const { data, error, response } = await action();
      if (data) setPhotos((data.photos ?? []) as Photo[]);
      else setProblem(photoProblem(response.status, reasonOf(error), t));
    } catch {
      setProblem(t.photoFailed);
    } finally {
      setBusy(false);
    }
  }

  const add = (file: File) => run(() => api.POST("/services/{service_id}/photos", { ...path, ...multipart(file) }));
  const remove = (photo: Photo) => run(() => api.DELETE("/services/{service_id}/photos/{photo_id}",
    { params: { path: { service_id: service.id ?? "", photo_id: photo.id } } }));
  function move(index: number, by: -1 | 1) {
    const order = photos.map((p) => p.id);
    order.splice(index + by, 0, ...order.splice(index, 1));
    return run(() => api.PUT("/services/{service_id}/photos/order", { ...path, body: { photo_ids: order } }));
  }

  return (
    <div className="service-photos" data-testid="service-photos-editor">
      <p className="hint">{t.servicePhotos}: {t.servicePhotosHint}</p>
      <ol className="photo-strip">
        {photos.map((photo, index) => (
          <li key={photo.id}>
            <img src={photo.thumb_url} alt={`${t.photoNumber} ${index + 1}: ${service.title}`} width={96} height={72} loading="lazy" />
            <span className="photo-buttons">
              <button type="button" className="secondary small" disabled={busy || index === 0} onClick={() => move(index, -1)}
                      aria-label={`${t.photoMoveLeft}: ${t.photoNumber} ${index + 1}`}>←</button>
              <button type="button" className="secondary small" disabled={busy || index === photos.length - 1}
                      onClick={() => move(index, 1)} aria-label={`${t.photoMoveRight}: ${t.photoNumber} ${index + 1}`}>→</button>
              <button type="button" className="secondary small" disabled={busy} onClick={() => remove(photo)}
                      aria-label={`${t.photoDelete}: ${t.photoNumber} ${index + 1}`}>✕</button>
            </span>
          </li>
        ))}
      </ol>
      {photos.length < 10 && <PickFile label={`${t.photoAdd}`} onPick={add} disabled={busy} />}
      {busy && <span role="status"> {t.photoUploading}</span>}
      {problem && <p className="field-error" role="alert">{problem}</p>}
    </div>
  );
}
