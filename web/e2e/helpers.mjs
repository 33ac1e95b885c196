import { mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

export const WEB = process.env.E2E_WEB;
export const API = process.env.E2E_API;
export const PASSWORD = "demo-password-1";
export const ARTIFACTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../test-results/screenshots");
mkdirSync(ARTIFACTS, { recursive: true });

/**
 * Debian's chromium, headless: no browser download. Playwright gives every launch a fresh, throw-away
 * --user-data-dir of its own (and refuses one passed in args), so nothing is shared between runs.
 */
export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
           "--disable-component-update", "--disable-sync"],
  });
}

export async function shot(page, name) {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

export async function logIn(page, email) {
  await page.goto(`${WEB}/entrar`);
  await page.getByLabel("Correo electrónico").fill(email);
  await page.getByLabel("Contraseña").fill(PASSWORD);
  await page.getByRole("button", { name: "Entrar" }).click();
  // On a phone "Salir" lives in the header's closed menu: signed in is when it is in the page, seen or not.
  await page.getByRole("button", { name: "Salir", includeHidden: true }).first().waitFor({ state: "attached" });
}

/** The API straight, for what a test arranges or checks outside the browser. */
export async function api(method, route, { token, body, headers = {} } = {}) {
  const response = await fetch(`${API}${route}`, {
    method, headers: { "Content-Type": "application/json", ...(token ? { Authorization: `Bearer ${token}` } : {}), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

export async function apiLogIn(email) {
  return api("POST", "/auth/login", { body: { email, password: PASSWORD } });
}

export async function eventually(check, { timeout = 30_000, every = 500 } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value) return value;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, every));
  }
}
