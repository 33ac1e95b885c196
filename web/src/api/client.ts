import createClient from "openapi-fetch";
import type { components, paths } from "./schema";

export type Schemas = components["schemas"];
export type ApiClient = ReturnType<typeof createApiClient>;

/** The one way this app talks to the API: typed by the API's own OpenAPI document. */
export function createApiClient(baseUrl: string, fetchImpl?: (input: Request) => Promise<Response>) {
  return createClient<paths>({ baseUrl, ...(fetchImpl ? { fetch: fetchImpl } : {}) });
}

/** Order mutations are idempotent by key: a retry of the same intent (after a network failure) reuses it. */
export function idempotencyKey(): { "Idempotency-Key": string } {
  return { "Idempotency-Key": crypto.randomUUID() };
}
