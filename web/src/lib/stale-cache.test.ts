import { describe, expect, it } from "vitest";
import { staleWhileRevalidate } from "./stale-cache";

function loader(values: (string | Error)[]) {
  const calls: number[] = [];
  let resolveNext: (() => void) | null = null;
  const load = () => {
    calls.push(calls.length);
    const value = values[calls.length - 1] ?? new Error(`load ${calls.length} was not expected`);
    return new Promise<string>((resolve, reject) => {
      resolveNext = () => (value instanceof Error ? reject(value) : resolve(value));
    });
  };
  return { load, calls, settle: async () => { resolveNext?.(); await new Promise((r) => setTimeout(r, 0)); } };
}

describe("a value cached for the server process", () => {
  it("loads once while fresh", async () => {
    let clock = 0;
    const { load, calls, settle } = loader(["v1"]);
    const get = staleWhileRevalidate(load, 60_000, "none", () => clock);
    const first = get();
    await settle();
    clock = 30_000;
    expect([await first, await get()]).toEqual(["v1", "v1"]);
    expect(calls.length).toBe(1);
  });

  it("serves the stale value at once while one refresh runs, then the fresh one", async () => {
    let clock = 0;
    const { load, calls, settle } = loader(["v1", "v2"]);
    const get = staleWhileRevalidate(load, 60_000, "none", () => clock);
    get();
    await settle();
    clock = 61_000;
    expect(await get()).toBe("v1"); // not waiting for the refresh
    expect(await get()).toBe("v1");
    expect(calls.length).toBe(2); // one refresh for both requests
    await settle();
    expect(await get()).toBe("v2");
  });

  it("does not keep a failed first load, and keeps the stale value when a refresh fails", async () => {
    let clock = 0;
    const { load, calls, settle } = loader([new Error("down"), "v1", new Error("down again")]);
    const get = staleWhileRevalidate(load, 60_000, "none", () => clock);
    const failed = get();
    await settle();
    expect(await failed).toBe("none");
    const retried = get();
    await settle();
    expect(await retried).toBe("v1");
    clock = 61_000;
    get();
    await settle();
    expect(await get()).toBe("v1");
    expect(calls.length).toBe(4); // the failed refresh is tried again on the next request
  });
});
