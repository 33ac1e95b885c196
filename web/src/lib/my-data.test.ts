import { describe, expect, it, vi } from "vitest";
import {
  archiveFileName, deletionBlockers, downloadToken, followExport, saveBlob, stillPreparing, type DataExport,
} from "./my-data";

const noWait = () => Promise.resolve();

describe("following an export", () => {
  it("keeps reading while pending or running and stops at ready, reporting each reading", async () => {
    const readings: DataExport[] = [{ id: "e1", status: "pending" }, { id: "e1", status: "running" },
                                    { id: "e1", status: "ready", download_url: "/me/exports/e1/archive?token=t" }];
    const read = vi.fn(async () => readings[read.mock.calls.length - 1]!);
    const seen: string[] = [];
    const last = await followExport(read, (e) => seen.push(e.status ?? ""), { wait: noWait });
    expect(seen).toEqual(["pending", "running", "ready"]);
    expect(last?.status).toBe("ready");
    expect(read).toHaveBeenCalledTimes(3);
  });

  it("stops at failed and expired too: only a new request can change them", async () => {
    for (const status of ["failed", "expired"] as const) {
      const read = vi.fn(async (): Promise<DataExport> => ({ id: "e1", status }));
      expect((await followExport(read, () => undefined, { wait: noWait }))?.status).toBe(status);
      expect(read).toHaveBeenCalledTimes(1);
    }
  });

  it("rides out a failed read but gives up after several in a row", async () => {
    let calls = 0;
    const flaky = async (): Promise<DataExport> => {
      calls += 1;
      if (calls === 1) throw new Error("network");
      return { id: "e1", status: "ready" };
    };
    expect((await followExport(flaky, () => undefined, { wait: noWait }))?.status).toBe("ready");

    const down = vi.fn(async (): Promise<DataExport> => { throw new Error("down"); });
    await expect(followExport(down, () => undefined, { wait: noWait, failures: 3 })).rejects.toThrow("down");
    expect(down).toHaveBeenCalledTimes(3);
  });

  it("stops reporting once the page has gone", async () => {
    let gone = false;
    const onUpdate = vi.fn();
    const read = async (): Promise<DataExport> => { gone = true; return { id: "e1", status: "pending" }; };
    expect(await followExport(read, onUpdate, { wait: noWait, stopped: () => gone })).toBeNull();
    expect(onUpdate).not.toHaveBeenCalled();
  });

  it("knows which states are still being prepared", () => {
    expect(["pending", "running", "ready", "failed", "expired"].map((s) => stillPreparing(s as never)))
      .toEqual([true, true, false, false, false]);
    expect(stillPreparing(undefined)).toBe(false);
  });
});

describe("the download link", () => {
  it("yields its token, decoded", () => {
    expect(downloadToken("/me/exports/e1/archive?token=abc.def%2Bg")).toBe("abc.def+g");
    expect(downloadToken("http://api.example/me/exports/e1/archive?token=xyz")).toBe("xyz");
  });

  it("yields nothing without one", () => {
    expect(downloadToken(null)).toBeNull();
    expect(downloadToken("/me/exports/e1/archive")).toBeNull();
    expect(downloadToken("/me/exports/e1/archive?token=")).toBeNull();
  });

  it("names the saved file by the day it was asked for", () => {
    expect(archiveFileName({ id: "0123456789abcdef", requested_at: "2026-11-30T02:55:00Z" }))
      .toBe("mis-datos-20261130-01234567.zip");
  });

  it("saves through an object URL that is revoked afterwards", () => {
    const link = { href: "", download: "", click: vi.fn(), remove: vi.fn() };
    const body = { appendChild: vi.fn() };
    const url = { createObjectURL: vi.fn(() => "blob:1"), revokeObjectURL: vi.fn() };
    let revoke: (() => void) | undefined;
    const blob = new Blob(["PK"]);
    saveBlob(blob, "mis-datos.zip", {
      document: { createElement: () => link, body } as never, url, later: (run) => { revoke = run; },
    });
    expect(url.createObjectURL).toHaveBeenCalledWith(blob);
    expect(link).toMatchObject({ href: "blob:1", download: "mis-datos.zip" });
    expect(link.click).toHaveBeenCalled();
    expect(link.remove).toHaveBeenCalled();
    expect(url.revokeObjectURL).not.toHaveBeenCalled();
    revoke?.();
    expect(url.revokeObjectURL).toHaveBeenCalledWith("blob:1");
  });
});

describe("why an account cannot be deleted yet", () => {
  it("takes every order the API's 409 names, with what keeps it open", () => {
    const blockers = [{ order_id: "6a1f", kind: "open", status: "accepted" },
                      { order_id: "8c3d", kind: "refund", status: null }] as const;
    const refused = { code: 409, status: "Conflict", message: "the account cannot be deleted yet: ...", blockers };
    expect(deletionBlockers(refused)).toEqual(blockers);
  });

  it("finds none in an answer without the list, so the page shows the message itself", () => {
    expect(deletionBlockers({ code: 409, status: "Conflict", message: "the account cannot be deleted yet" })).toEqual([]);
    expect(deletionBlockers({ blockers: "not a list" })).toEqual([]);
    expect(deletionBlockers(undefined)).toEqual([]);
  });
});
