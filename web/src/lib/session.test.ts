import { describe, expect, it, vi } from "vitest";
import { SessionStore } from "./session";

const user = { id: "u1", email: "a@example.com", display_name: "Ana", roles: ["buyer"] };

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
}

describe("SessionStore", () => {
  it("shares one refresh between concurrent callers, because a reused refresh token ends the session", async () => {
    let calls = 0;
    const fetchImpl = vi.fn(async () => {
      calls += 1;
      await new Promise((resolve) => setTimeout(resolve, 5));
      return json(200, { access_token: `t${calls}`, user });
    }) as unknown as typeof fetch;
    const store = new SessionStore(fetchImpl);
    const [a, b] = await Promise.all([store.refresh(), store.refresh()]);
    expect(calls).toBe(1);
    expect(a?.accessToken).toBe("t1");
    expect(b).toBe(a);
  });

  it("retries a request once with a fresh token after a 401", async () => {
    const seen: (string | null)[] = [];
    const fetchImpl = vi.fn(async (input: RequestInfo | URL) => {
      if (typeof input === "string") return json(200, { access_token: "fresh", user });
      const request = input as Request;
      seen.push(request.headers.get("Authorization"));
      return request.headers.get("Authorization") === "Bearer fresh" ? json(200, { ok: true }) : json(401, {});
    }) as unknown as typeof fetch;
    const store = new SessionStore(fetchImpl);
    store.set({ accessToken: "expired", user });
    const response = await store.authorizedFetch(new Request("http://api/me"));
    expect(response.status).toBe(200);
    expect(seen).toEqual(["Bearer expired", "Bearer fresh"]);
  });

  it("signs out when the refresh cookie is no longer accepted", async () => {
    const fetchImpl = vi.fn(async () => json(401, { message: "expired" })) as unknown as typeof fetch;
    const store = new SessionStore(fetchImpl);
    store.set({ accessToken: "old", user });
    const listener = vi.fn();
    store.subscribe(listener);
    const response = await store.authorizedFetch(new Request("http://api/me"));
    expect(response.status).toBe(401);
    expect(store.current).toBeNull();
    expect(listener).toHaveBeenCalledWith(null);
  });

  it("takes a 204 (no session cookie on this browser) as signed out, with no error", async () => {
    const fetchImpl = vi.fn(async () => new Response(null, { status: 204 })) as unknown as typeof fetch;
    const store = new SessionStore(fetchImpl);
    await expect(store.refresh()).resolves.toBeNull();
    expect(store.current).toBeNull();
  });

  it("keeps the session when the refresh fails for another reason (the network, a 503)", async () => {
    const fetchImpl = vi.fn(async () => json(503, {})) as unknown as typeof fetch;
    const store = new SessionStore(fetchImpl);
    store.set({ accessToken: "old", user });
    await store.refresh();
    expect(store.current?.accessToken).toBe("old");
  });
});
