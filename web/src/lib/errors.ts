/** The API's error body: `errors.json.<field>` holds the messages of each field at fault. */
export interface ApiErrorBody {
  code?: number;
  message?: string;
  errors?: { json?: Record<string, unknown>; query?: Record<string, unknown> };
  /** A stable name of the rule that refused the request, and the facts some reasons carry. */
  reason?: string;
  password_problem?: string;
  cap?: number;
  cap_scope?: string;
}

type Words = { es: string; en: string };

/** Why a password was refused, by the API's `password_problem`: the API's own text is English. */
const PASSWORD_PROBLEMS: Record<string, Words> = {
  too_short: { es: "Usa al menos 10 caracteres.", en: "Use at least 10 characters." },
  too_long: { es: "Usa como mucho 256 caracteres.", en: "Use at most 256 characters." },
  common_password: { es: "Es una de las contraseñas más usadas: se prueba de las primeras.",
                     en: "It is one of the most used passwords: it is tried first." },
  common_words: { es: "Está hecha de palabras o nombres comunes, que se prueban primero.",
                  en: "It is made of common words or names, which are tried first." },
  personal_data: { es: "Contiene tu correo o tu nombre.", en: "It contains your e-mail or your name." },
  repeated_characters: { es: "Repite caracteres (como aaaa o abcabc).", en: "It repeats characters (like aaaa or abcabc)." },
  sequence: { es: "Es una secuencia (como 12345 o abcde).", en: "It is a sequence (like 12345 or abcde)." },
  keyboard_pattern: { es: "Es una fila o un dibujo del teclado (como qwerty).",
                      en: "It is a row or pattern of the keyboard (like qwerty)." },
  date: { es: "Es sobre todo una fecha o un año.", en: "It is mostly a date or a year." },
  easy_to_guess: { es: "Se adivinaría enseguida.", en: "It would be guessed quickly." },
};
const PASSWORD_ADVICE: Words = { es: " Prueba con una frase larga de palabras sin relación.",
                                 en: " Try a long phrase of unrelated words." };

/** The message of a refusal the API names by `reason`, in the person's language. */
function reasonMessage(error: ApiErrorBody, lang: "es" | "en"): string | undefined {
  if (error.reason === "unknown_order") {
    return { es: "No tienes ningún pedido con ese número.", en: "You have no order with this number." }[lang];
  }
  if (error.reason === "unpaid_bookings_cap") {
    const cap = error.cap ?? 0;
    return error.cap_scope === "seller"
      ? { es: `Ya tienes ${cap} reservas sin pagar con este profesional, el máximo. Paga o cancela una antes de reservar otra.`,
          en: `You already have ${cap} unpaid bookings with this professional, the most allowed. Pay or cancel one first.` }[lang]
      : { es: `Ya tienes ${cap} reservas sin pagar, el máximo. Paga o cancela una antes de reservar otra.`,
          en: `You already have ${cap} unpaid bookings, the most allowed. Pay or cancel one first.` }[lang];
  }
  return undefined;
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
  const translated = reasonMessage(error, lang);
  const problem = error.reason === "weak_password" && error.password_problem
    ? PASSWORD_PROBLEMS[error.password_problem] : undefined;
  for (const [field, messages] of Object.entries({ ...error.errors?.query, ...error.errors?.json })) {
    if (problem) fields[field] = problem[lang] + (error.password_problem === "too_short" ? "" : PASSWORD_ADVICE[lang]);
    else fields[field] = translated ?? flatten(messages);
  }
  const unnamed = Object.keys(fields).length === 0;
  return { form: unnamed ? translated ?? error.message ?? String(error.code ?? "") : undefined, fields };
}

export function networkError(lang: "es" | "en" = "es"): FormErrors {
  return { form: NETWORK_MESSAGE[lang], fields: {} };
}
