/**
 * The "Mis datos" page's logic, kept out of React so it can be tested: following an export until it is built,
 * the download link's token, and the reasons the API gives for refusing to delete an account.
 */
import type { Schemas } from "@/api/client";

export type DataExport = Schemas["Export"];
export type ExportStatus = NonNullable<DataExport["status"]>;

/** The scheduler builds exports every few seconds; only these two states can still change on their own. */
export function stillPreparing(status: ExportStatus | undefined): boolean {
  return status === "pending" || status === "running";
}

/**
 * The token of a `download_url` (a path with `?token=`). The archive is fetched through the typed client, which
 * adds the access token, so only the link's own token is needed from it.
 */
export function downloadToken(downloadUrl: string | null | undefined): string | null {
  if (!downloadUrl) return null;
  try {
    return new URL(downloadUrl, "http://relative.invalid").searchParams.get("token") || null;
  } catch {
    return null;
  }
}

export function archiveFileName(exported: Pick<DataExport, "id" | "requested_at">): string {
  const day = (exported.requested_at ?? "").slice(0, 10).replaceAll("-", "");
  return `mis-datos${day ? `-${day}` : ""}-${(exported.id ?? "").slice(0, 8)}.zip`;
}

interface FollowOptions {
  every?: number;
  /** consecutive failed reads tolerated (a restarting API) before giving up */
  failures?: number;
  stopped?: () => boolean;
  wait?: (ms: number) => Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Reads the export's status until it is no longer being prepared (or `stopped()`), reporting each reading.
 * A read that fails is retried; only `failures` in a row end the wait, with the last error.
 */
export async function followExport(read: () => Promise<DataExport>, onUpdate: (exported: DataExport) => void,
                                   { every = 2000, failures = 3, stopped = () => false, wait = sleep }: FollowOptions = {},
): Promise<DataExport | null> {
  let failed = 0;
  while (!stopped()) {
    try {
      const exported = await read();
      failed = 0;
      if (stopped()) return null;
      onUpdate(exported);
      if (!stillPreparing(exported.status)) return exported;
    } catch (error) {
      failed += 1;
      if (failed >= failures) throw error;
    }
    await wait(every);
  }
  return null;
}

export type DeletionBlocker = Schemas["DeletionBlocker"];

/**
 * The orders that keep a person from deleting their account, from the 409's `blockers`, so each can be shown in
 * the page's language with a link to the order. Empty when the answer names none (then show its message).
 */
export function deletionBlockers(error: unknown): DeletionBlocker[] {
  const blockers = (error as Partial<Schemas["DeletionRefused"]> | undefined)?.blockers;
  return Array.isArray(blockers) ? blockers : [];
}

interface SaveDeps {
  document: Pick<Document, "createElement" | "body">;
  url: Pick<typeof URL, "createObjectURL" | "revokeObjectURL">;
  later?: (run: () => void) => void;
}

/** Saves a fetched file: the archive needs the Authorization header, so a plain link cannot download it. */
export function saveBlob(blob: Blob, fileName: string,
                         { document: doc, url, later = (run) => setTimeout(run, 1000) }: SaveDeps): void {
  const href = url.createObjectURL(blob);
  const link = doc.createElement("a");
  link.href = href;
  link.download = fileName;
  doc.body.appendChild(link);
  link.click();
  link.remove();
  // Revoked after the browser has started the download, so the archive's copy does not stay in memory.
  later(() => url.revokeObjectURL(href));
}

/** The last export asked for on this tab, so coming back to the page shows it instead of asking for another. */
export function rememberedExportKey(userId: string): string {
  return `mp_export:${userId}`;
}

/** Where a deleted account lands: the home page, signed out, with a word that it is done. */
export const ACCOUNT_DELETED = { param: "cuenta", value: "eliminada" } as const;
