// Issue #27 and #18.5 in Chromium: a demo seller edits their presentation and a service from the panel, and
// nothing they did not touch changes — above all their travel area, so buyers near 28013 still find them.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { WEB, api, apiLogIn, eventually, launch, logIn, shot } from "./helpers.mjs";

const CARLOS = "carlos.plumber@example.com";
let browser;
let token;
let restore = [];
before(async () => {
  browser = await launch();
  token = (await apiLogIn(CARLOS)).access_token;
});
after(async () => {
  // Leave the demo seller as found, for whatever runs next on this stack.
  for (const undo of restore.reverse()) await undo().catch((error) => console.error(String(error)));
  await browser?.close();
});

async function nearMadridCentre(sellerId) {
  const page = await api("GET", "/services?near=28013&page_size=50");
  return page.items.filter((s) => s.seller_id === sellerId).map((s) => s.title).sort();
}

describe("a seller edits their profile from the panel", () => {
  it("changes the headline with PATCH and stays found near 28013, in the API and on the search page", async () => {
    const profileBefore = await api("GET", "/me/seller-profile", { token });
    restore.push(() => api("PATCH", "/me/seller-profile", { token, body: { headline: profileBefore.headline } }));
    assert.ok(profileBefore.base_location && profileBefore.travel_radius_km, "the demo seller has a travel area");
    const foundBefore = await nearMadridCentre(profileBefore.seller_id);
    assert.ok(foundBefore.length >= 1, "the demo seller's services are found near 28013");

    const context = await browser.newContext({ locale: "es-ES" });
    const page = await context.newPage();
    // The app's fetch re-wraps each request, so Chromium does not expose its body here: the body itself is
    // checked in vitest (src/lib/settings.test.ts), and its effect below, field by field.
    const sent = [];
    page.on("request", (request) => {
      if (request.url().endsWith("/me/seller-profile") && !["GET", "OPTIONS"].includes(request.method())) {
        sent.push(request.method());
      }
    });
    await logIn(page, CARLOS);
    await page.goto(`${WEB}/vendedor`);
    const form = page.getByRole("form", { name: "Tu presentación" });
    await form.getByLabel("Titular").fill("Fontanero en Madrid centro, urgencias en el día");

    // A non-number of years is an error on the field, and nothing is saved.
    await form.getByLabel("años de experiencia").fill("muchos");
    await form.getByRole("button", { name: "Guardar" }).click();
    await form.getByText("Escribe un número entero (por ejemplo, 5).").waitFor();
    assert.equal(await form.getByText("Guardado.").count(), 0);
    assert.equal(sent.length, 0, "nothing is sent while a field is wrong");

    await form.getByLabel("años de experiencia").fill(String(profileBefore.years_experience));
    await form.getByRole("button", { name: "Guardar" }).click();
    await form.getByText("Guardado.").waitFor();
    await shot(page, "seller-profile-saved");
    assert.deepEqual(sent, ["PATCH"]);

    const profileAfter = await api("GET", "/me/seller-profile", { token });
    assert.equal(profileAfter.headline, "Fontanero en Madrid centro, urgencias en el día");
    const { headline: _a, updated_at: _b, ...keptAfter } = profileAfter;
    const { headline: _c, updated_at: _d, ...keptBefore } = profileBefore;
    assert.deepEqual(keptAfter, keptBefore, "every field but the headline is as it was");
    assert.deepEqual(await nearMadridCentre(profileBefore.seller_id), foundBefore);

    await page.goto(`${WEB}/buscar?near=28013`);
    const cards = page.getByTestId("service-card").filter({ visible: true });
    await cards.first().waitFor();
    const titles = await cards.locator("h3").allTextContents();
    for (const title of foundBefore) assert.ok(titles.includes(title), `${title} in ${titles.join(", ")}`);
    await shot(page, "seller-profile-near-28013");
    await context.close();
  });

  it("edits a published service with PATCH, and its photos are left as they were", async () => {
    const mine = (await api("GET", "/me/services?page_size=50", { token })).items;
    const service = mine.find((s) => s.price_model !== "quote");
    restore.push(() => api("PATCH", `/services/${service.id}`, { token, body: { title: service.title, price: service.price } }));

    const context = await browser.newContext({ locale: "es-ES" });
    const page = await context.newPage();
    const sent = [];
    page.on("request", (request) => {
      if (request.url().includes("/services/") && !["GET", "OPTIONS"].includes(request.method())) sent.push(request.method());
    });
    await logIn(page, CARLOS);
    await page.goto(`${WEB}/vendedor`);
    await page.getByTestId("my-service").filter({ hasText: service.title }).getByRole("button", { name: /^Editar/ }).click();
    const editor = page.getByTestId("service-editor");
    await editor.getByLabel("Título").fill(`${service.title} (revisado)`);
    await editor.getByLabel("Precio (€)").fill("99,50");
    await shot(page, "seller-service-editor");
    await editor.getByRole("button", { name: "Guardar" }).click();
    await page.getByText("Guardado.").waitFor();
    await page.getByText(`${service.title} (revisado)`, { exact: true }).waitFor();

    assert.deepEqual(sent, ["PATCH"]);
    const stored = await api("GET", `/services/${service.id}`);
    assert.equal(stored.title, `${service.title} (revisado)`);
    assert.deepEqual(stored.price, { amount: 9950, currency: service.price.currency });
    const { title: _a, price: _b, updated_at: _c, ...keptAfter } = stored;
    const { title: _d, price: _e, updated_at: _f, ...keptBefore } = service;
    assert.deepEqual(keptAfter, keptBefore, "photos and every other field are as they were");
    await context.close();
  });

  it("the public profile shows the hours bookings use", async () => {
    const me = await api("GET", "/me", { token });
    const hours = await api("GET", "/me/availability", { token });
    assert.ok(hours.weekly_hours.length > 0, "the demo seller has bookable hours");
    const context = await browser.newContext({ locale: "es-ES" });
    const page = await context.newPage();
    await page.goto(`${WEB}/vendedores/${me.id}`);
    const block = page.getByTestId("profile-hours");
    await block.getByText("lun 08:00–14:00 · 15:00–19:00").waitFor();
    await block.getByText("Hora local de Madrid").waitFor();
    assert.equal(await block.getByText(/^sáb/).count(), 0, "no Saturday: the demo seller cannot be booked then");
    await shot(page, "seller-profile-hours");
    await context.close();
  });

  it("a person changes their phone on /mis-datos with PATCH, and their name is left alone", async () => {
    const ana = (await apiLogIn("ana.buyer@example.com")).access_token;
    const before = await api("GET", "/me", { token: ana });
    restore.push(() => api("PATCH", "/me", { token: ana, body: { phone: before.phone ?? null } }));
    const context = await browser.newContext({ locale: "es-ES" });
    const page = await context.newPage();
    await logIn(page, "ana.buyer@example.com");
    await page.goto(`${WEB}/mis-datos`);
    const form = page.getByRole("form", { name: "Tus datos" });
    await form.getByLabel("Teléfono").fill("+34 600 111 222");
    await form.getByRole("button", { name: "Guardar" }).click();
    await form.getByText("Guardado.").waitFor();
    assert.deepEqual(await api("GET", "/me", { token: ana }), { ...before, phone: "+34600111222" });  // stored normalized
    await form.getByLabel("Teléfono").fill("");
    await form.getByRole("button", { name: "Guardar" }).click();
    await eventually(async () => (await api("GET", "/me", { token: ana })).phone === null);
    await shot(page, "my-data-account-form");
    await context.close();
  });
});
