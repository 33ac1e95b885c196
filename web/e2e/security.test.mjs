// Issue #20: the web front end's defences (item 11) and the person's address relayed to the API (item 1).
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { API, PASSWORD, WEB, launch, shot } from "./helpers.mjs";

const SQUARE = process.env.E2E_SQUARE;
const EVIL = "https://evil.example";
const BUYER = "ana.buyer@example.com";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

function post(route, { origin = WEB, type = "application/json", body, headers = {} } = {}) {
  return fetch(`${WEB}${route}`, {
    method: "POST", redirect: "manual",
    headers: { ...(origin ? { Origin: origin } : {}), ...(type ? { "Content-Type": type } : {}), ...headers },
    body,
  });
}

describe("security headers", () => {
  it("every page has a CSP whose nonce is on each of Next's scripts, and the other headers", async () => {
    for (const route of ["/", "/entrar", "/buscar?q=fontaneria"]) {
      const response = await fetch(`${WEB}${route}`);
      const csp = response.headers.get("content-security-policy") ?? "";
      const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
      assert.ok(nonce, `${route}: no nonce in ${csp}`);
      for (const directive of ["frame-ancestors 'none'", "object-src 'none'", "base-uri 'none'", "form-action 'self'"]) {
        assert.ok(csp.includes(directive), `${route}: ${directive} missing from ${csp}`);
      }
      assert.ok(!/script-src[^;]*'unsafe-inline'/.test(csp), csp);
      assert.equal(response.headers.get("x-content-type-options"), "nosniff");
      assert.equal(response.headers.get("referrer-policy"), "same-origin");
      assert.match(response.headers.get("permissions-policy") ?? "", /camera=\(\)/);
      const html = await response.text();
      const scripts = html.match(/<script\b[^>]*>/g) ?? [];
      assert.ok(scripts.length > 0);
      for (const tag of scripts) assert.ok(tag.includes(`nonce="${nonce}"`), `${route}: ${tag} has no nonce`);
      // A fresh nonce per answer.
      const again = (await fetch(`${WEB}${route}`)).headers.get("content-security-policy");
      assert.notEqual(/'nonce-([^']+)'/.exec(again)?.[1], nonce);
    }
  });

  it("pages run under the CSP without a single violation, the card form included", async () => {
    const context = await browser.newContext({ locale: "es-ES" });
    const page = await context.newPage();
    const violations = [];
    page.on("console", (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
    });
    await page.goto(`${WEB}/entrar`);
    await page.getByLabel("Correo electrónico").fill(BUYER);
    await page.getByLabel("Contraseña").fill(PASSWORD);
    await page.getByRole("button", { name: "Entrar" }).click();
    await page.getByRole("button", { name: "Salir", includeHidden: true }).first().waitFor({ state: "attached" });
    await page.goto(`${WEB}/buscar?q=fontaneria`);
    await page.getByTestId("service-card").first().waitFor();
    await page.goto(`${WEB}/pedidos`);
    await page.waitForLoadState("networkidle");
    const card = await fetch(`${WEB}/square-card-form`);
    const cardCsp = card.headers.get("content-security-policy") ?? "";
    assert.ok(cardCsp.includes("frame-ancestors 'self'"), cardCsp);
    const cardNonce = /'nonce-([^']+)'/.exec(cardCsp)?.[1];
    for (const tag of (await card.text()).match(/<script\b[^>]*>/g) ?? []) assert.ok(tag.includes(`nonce="${cardNonce}"`), tag);
    await shot(page, "30-csp-orders");
    assert.deepEqual(violations, []);
    await context.close();
  });
});

describe("cookie-setting routes answer only this site's pages", () => {
  const credentials = JSON.stringify({ email: BUYER, password: PASSWORD });

  it("refuses the login CSRF: another site's text/plain POST gets 403 and no session cookie", async () => {
    const response = await post("/api/auth/login", { origin: EVIL, type: "text/plain", body: credentials });
    assert.equal(response.status, 403);
    assert.equal(response.headers.get("set-cookie"), null);
    assert.match((await response.json()).message, /no viene de una página de Manitas/);
  });

  it("refuses text/plain and a missing origin from anyone, and takes this site's JSON", async () => {
    assert.equal((await post("/api/auth/login", { type: "text/plain", body: credentials })).status, 403);
    assert.equal((await post("/api/auth/login", { origin: null, body: credentials })).status, 403);
    assert.equal((await post("/api/auth/register", { origin: EVIL, body: "{}" })).status, 403);
    assert.equal((await post("/api/auth/logout", { origin: EVIL, type: null })).status, 403);
    assert.equal((await post("/api/auth/refresh", { origin: EVIL, type: null })).status, 403);
    const ok = await post("/api/auth/login", { body: credentials });
    assert.equal(ok.status, 200);
    assert.match(ok.headers.get("set-cookie") ?? "", /mp_refresh=/);
  });

  it("a form on another site cannot sign a visitor in", async () => {
    const context = await browser.newContext({ locale: "es-ES" });
    const page = await context.newPage();
    await page.goto(`${SQUARE}/_standin/card-form`); // any page of another origin
    await page.evaluate(([target, email, password]) => {
      const form = document.createElement("form");
      form.method = "POST"; form.action = target; form.enctype = "text/plain";
      const input = document.createElement("input");
      input.name = `{"email":"${email}","password":"${password}","x":"`; input.value = `"}`;
      form.append(input); document.body.append(form); form.submit();
    }, [`${WEB}/api/auth/login`, BUYER, PASSWORD]);
    await page.waitForURL(`${WEB}/api/auth/login`);
    assert.match(await page.content(), /no viene de una página de Manitas/);
    const cookies = await context.cookies(WEB);
    assert.deepEqual(cookies.filter((c) => c.name === "mp_refresh"), []);
    await context.close();
  });

  it("POST /idioma refuses other sites and never builds a Location to another host from the Referer", async () => {
    const form = "application/x-www-form-urlencoded";
    const evil = await post("/idioma", { origin: EVIL, type: form, body: "lang=en" });
    assert.equal(evil.status, 403);
    assert.equal(evil.headers.get("set-cookie"), null);
    for (const referer of [`${WEB}//evil.example/x`, `${WEB}/\\evil.example`]) {
      const response = await post("/idioma", { type: form, body: "lang=en", headers: { Referer: referer } });
      assert.equal(response.status, 303);
      assert.equal(response.headers.get("location"), "/", referer);
    }
    const back = await post("/idioma", { type: form, body: "lang=en", headers: { Referer: `${WEB}/buscar?q=x` } });
    assert.equal(back.headers.get("location"), "/buscar?q=x");
  });
});

describe("after logging in, only paths of this site", () => {
  for (const next of ["/\\evil.example", "//evil.example", "/\t/evil.example", "https://evil.example"]) {
    it(`?next=${JSON.stringify(next)} lands on this site`, async () => {
      const context = await browser.newContext({ locale: "es-ES" });
      const page = await context.newPage();
      await page.goto(`${WEB}/entrar?next=${encodeURIComponent(next)}`);
      await page.getByLabel("Correo electrónico").fill(BUYER);
      await page.getByLabel("Contraseña").fill(PASSWORD);
      await page.getByRole("button", { name: "Entrar" }).click();
      await page.getByRole("button", { name: "Salir", includeHidden: true }).first().waitFor({ state: "attached" });
      await page.waitForLoadState("networkidle");
      assert.equal(new URL(page.url()).origin, WEB);
      assert.equal(new URL(page.url()).pathname, "/");
      await context.close();
    });
  }
});

describe("sign-in limits through the web count each person, not the web server", () => {
  it("fifty failed logins from one address block that address only; a forged address at the API is ignored", async () => {
    const from = (address, email) => post("/api/auth/login", {
      headers: { "X-Forwarded-For": address }, body: JSON.stringify({ email, password: "not-the-password" }) });
    const statuses = [];
    for (let n = 0; n < 51; n += 1) statuses.push((await from("198.51.100.7", `nobody-${randomUUID()}@example.com`)).status);
    assert.deepEqual(statuses.slice(0, 50), Array(50).fill(401));
    assert.equal(statuses[50], 429);
    assert.equal((await from("198.51.100.8", `nobody-${randomUUID()}@example.com`)).status, 401);
    // Straight to the API, naming the blocked address without the web server's signature: not believed.
    const forged = await fetch(`${API}/auth/login`, {
      method: "POST", headers: { "Content-Type": "application/json", "X-Client-Address": "198.51.100.7",
                                 "X-Client-Address-Signature": `t=${Math.floor(Date.now() / 1000)},v1=00` },
      body: JSON.stringify({ email: `nobody-${randomUUID()}@example.com`, password: "not-the-password" }) });
    assert.equal(forged.status, 401);
    // And a person behind the web still signs in.
    assert.equal((await post("/api/auth/login", { body: JSON.stringify({ email: BUYER, password: PASSWORD }) })).status, 200);
  });
});
