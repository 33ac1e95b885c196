/**
 * The browser's side of a session: the access token lives in memory only; the refresh token is an httpOnly
 * cookie that only this app's server routes (/api/auth/*) read. A 401 refreshes once, silently, and retries.
 * Refresh tokens rotate and a reused one revokes the session, so concurrent refreshes share one request.
 */
export interface SessionUser {
  id: string;
  email: string;
  display_name: string;
  roles: string[];
}

export interface Session {
  accessToken: string;
  user: SessionUser;
}

type Listener = (session: Session | null) => void;

export class SessionStore {
  private session: Session | null = null;
  private refreshing: Promise<Session | null> | null = null;
  private listeners = new Set<Listener>();

  constructor(private readonly fetchImpl: typeof fetch = (...args) => fetch(...args)) {}

  get current(): Session | null {
    return this.session;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  set(session: Session | null): void {
    this.session = session;
    for (const listener of this.listeners) listener(session);
  }

  /** Trades the cookie for a fresh access token; null (and signed out) when the session is over. */
  refresh(): Promise<Session | null> {
    this.refreshing ??= (async () => {
      try {
        const response = await this.fetchImpl("/api/auth/refresh", { method: "POST" });
        if (response.status === 204) {
          this.set(null);  // no session on this browser
          return null;
        }
        if (!response.ok) {
          if (response.status === 401) this.set(null);
          return response.status === 401 ? null : this.session;
        }
        const body = (await response.json()) as { access_token: string; user: SessionUser };
        this.set({ accessToken: body.access_token, user: body.user });
        return this.session;
      } finally {
        this.refreshing = null;
      }
    })();
    return this.refreshing;
  }

  /** A fetch for the API client: adds the bearer token and refreshes once on 401. */
  authorizedFetch = async (input: Request): Promise<Response> => {
    const retry = input.clone();
    const send = (request: Request, token: string | undefined) => {
      if (token) request.headers.set("Authorization", `Bearer ${token}`);
      return this.fetchImpl(request);
    };
    const response = await send(input, this.session?.accessToken);
    if (response.status !== 401) return response;
    const renewed = await this.refresh();
    return renewed ? send(retry, renewed.accessToken) : response;
  };
}
