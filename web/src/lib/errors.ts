/** The API's error body: `errors.json.<field>` holds the messages of each field at fault. */
export interface ApiErrorBody {
  code?: number;
  message?: string;
  errors?: { json?: Record<string, unknown>; query?: Record<string, unknown> };
}

export interface FormErrors {
  form?: string;
  fields: Record<string, string>;
}

const NETWORK_MESSAGE = {
  es: "No hemos podido conectar con el servidor. Revisa tu conexión y vuelve a intentarlo; lo que escribiste sigue aquí.",
  en: "We could not reach the server. Check your connection and try again; what you typed is still here.",
};

function flatten(value: unknown): string {
  if (Array.isArray(value)) return value.map(flatten).join(" ");
  if (value && typeof value === "object") return Object.values(value).map(flatten).join(" ");
  return String(value ?? "");
}

/** Maps an API error to messages next to each field, and a message for the whole form. */
export function formErrors(body: unknown, lang: "es" | "en" = "es"): FormErrors {
  if (body === undefined || body === null) return { form: NETWORK_MESSAGE[lang], fields: {} };
  const error = body as ApiErrorBody;
  const fields: Record<string, string> = {};
  for (const [field, messages] of Object.entries({ ...error.errors?.query, ...error.errors?.json })) {
    fields[field] = flatten(messages);
  }
  const unnamed = Object.keys(fields).length === 0;
  return { form: unnamed ? error.message ?? String(error.code ?? "") : undefined, fields };
}

export function networkError(lang: "es" | "en" = "es"): FormErrors {
  return { form: NETWORK_MESSAGE[lang], fields: {} };
}
