// Booking on a phone and a desktop (issue #18, items 4 and 7): a strip of days, a short list of times, a summary
// with the fee and the total before the card, a human timeline, and a cancellation that states its refund.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { PASSWORD, WEB, api, apiLogIn, eventually, launch, logIn, shot } from "./helpers.mjs";

const SIZES = [{ name: "phone", width: 390, height: 844 }, { name: "desktop", width: 1366, height: 900 }];
const SERVICE_TITLE = "Reparación de fugas y grifos";
// Something that looks like a gateway's id: "sq_...", Square's long base-62 ids, or our own hex ids.
const ID_LIKE = /sq[_0-]|\b[A-Za-z0-9_-]{20,}\b|\b[0-9a-f]{24,}\b/;
const plain = (text) => text.replace(/[\u00a0\u202f]/g, " ");
const euros = (minor) => plain(new Intl.NumberFormat("es-ES", { style: "currency", currency: "EUR",
  minimumFractionDigits: minor % 100 ? 2 : 0, maximumFractionDigits: minor % 100 ? 2 : 0 }).format(minor / 100));

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function noSidewaysScroll(page, where) {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
  assert.ok(scrollWidth <= innerWidth, `${where}: the page is ${scrollWidth}px wide in a ${innerWidth}px window`);
}

async function waitForText(locator, expected, timeout = 15_000) {
  let last = "";
  await eventually(async () => { last = plain((await locator.textContent()) ?? ""); return last.includes(expected); }, { timeout })
    .catch(() => { throw new Error(`"${expected}" never appeared in: ${last}`); });
}

describe("a buyer books with the day strip, pays after reading the summary, and cancels knowing the refund", () => {
  for (const [index, size] of SIZES.entries()) {
    it(`at ${size.width}x${size.height}`, async () => {
      const { items } = await api("GET", `/services?q=${encodeURIComponent("fugas grifos")}&page_size=5`);
      const service = items.find((s) => s.title === SERVICE_TITLE);
      assert.ok(service, "the demo plumbing service is listed");
      const context = await browser.newContext({ locale: "es-ES", viewport: { width: size.width, height: size.height } });
      const page = await context.newPage();
      await logIn(page, "ana.buyer@example.com");

      await page.goto(`${WEB}/reservar/${service.id}`);
      const strip = page.getByTestId("day-strip");
      await strip.locator("a.day").first().waitFor();
      assert.equal(await strip.locator("li").count(), 14, "fourteen days in the strip");
      const disabled = await strip.locator("[aria-disabled=true]").count();
      const open = strip.locator("a.day");
      assert.equal(disabled + await open.count(), 14);
      // A different day for each size, so the two bookings do not compete for one slot.
      const day = open.nth(index + 1);
      const dayLabel = await day.locator(".sr-only").textContent();  // what a screen reader hears
      await day.click();
      await page.waitForURL(/\?dia=\d{4}-\d{2}-\d{2}/);
      assert.equal(await day.getAttribute("aria-current"), "date");
      assert.equal(await page.locator(".day-title").textContent(), dayLabel, "the times shown are the chosen day's");
      assert.match(dayLabel, /^(lunes|martes|miércoles|jueves|viernes|sábado|domingo), \d{1,2} de [a-z]+$/);

      const times = page.locator(".times .slot");
      const shortList = await times.count();
      assert.ok(shortList > 0 && shortList <= 30, `a short list of times (${shortList})`);
      for (const text of await times.allTextContents()) assert.match(text.trim(), /^\d{2}:\d{2}$/);
      await times.nth(1).click();
      const chosenTime = (await times.nth(1).textContent()).trim();
      await page.getByLabel("Dirección del trabajo").fill("Calle de Atocha 12, 28012 Madrid");

      const summary = page.getByTestId("booking-summary");
      await waitForText(summary, chosenTime);
      await waitForText(summary, "Calle de Atocha 12");
      const breakdown = summary.getByTestId("price-breakdown");
      await breakdown.waitFor();
      const terms = await api("GET", `/services/${service.id}/booking-terms`);
      const priceText = plain(await breakdown.textContent());
      assert.ok(priceText.includes(`Comisión de Manitas (incluida en el precio)${euros(terms.breakdown.fee.amount)}`), priceText);
      assert.ok(priceText.includes(`Total a pagar${euros(terms.breakdown.subtotal.amount)}`), priceText);
      assert.doesNotMatch(priceText, /EUR|\.00/);
      const summaryText = plain(await summary.textContent());
      assert.ok(summaryText.includes("Carlos"), "who: the seller's name");
      assert.ok(summaryText.includes(SERVICE_TITLE), "what: the service");
      assert.match(summaryText, /Cancelación gratuita hasta el (lunes|martes|miércoles|jueves|viernes|sábado|domingo), \d{1,2} de [a-z]+, \d{2}:\d{2}/);
      await noSidewaysScroll(page, "booking");
      const height = await page.evaluate(() => document.documentElement.scrollHeight);
      await shot(page, `booking-${size.name}-1-summary`);

      await page.getByRole("button", { name: "Reservar este hueco" }).click();
      await page.waitForURL(/\/pedidos\/[^/?]+$/);
      const orderId = page.url().split("/").pop();
      const status = page.getByTestId("order-status");
      await waitForText(status, "Pendiente de pago");
      // The summary comes before the card form.
      const order = page.getByTestId("booking-summary");
      await order.getByTestId("price-breakdown").waitFor();
      await page.locator("iframe.card-form").waitFor();
      const summaryFirst = await page.evaluate(() => {
        const panel = document.querySelector("[data-testid=booking-summary]");
        const card = document.querySelector("iframe.card-form");
        return Boolean(panel && card && panel.compareDocumentPosition(card) & Node.DOCUMENT_POSITION_FOLLOWING);
      });
      assert.ok(summaryFirst, "the summary is read before the card");
      await noSidewaysScroll(page, "order before paying");
      await shot(page, `booking-${size.name}-2-pay`);

      await page.frameLocator("iframe.card-form").getByRole("button", { name: /Approved/ }).click();
      await waitForText(status, "Pagado, esperando al profesional");
      const seller = await apiLogIn("carlos.plumber@example.com");
      await api("POST", `/orders/${orderId}/accept`, { token: seller.access_token, headers: { "Idempotency-Key": randomUUID() } });
      await waitForText(status, "Aceptado");

      const timeline = page.getByTestId("timeline");
      await waitForText(timeline, "Se cobró el pago de");
      // The seller's name arrives with their public profile, a moment after the order.
      await waitForText(timeline, "Carlos Fontanería ·");
      const story = plain(await timeline.textContent());
      assert.ok(story.includes(`Trabajo aceptado. Se cobró el pago de ${euros(terms.breakdown.subtotal.amount)} con la tarjeta`), story);
      assert.ok(story.includes("Reserva hecha; falta el pago"), story);
      assert.ok(story.includes("Tú ·") && story.includes("Carlos"), "who did each step");
      assert.doesNotMatch(story, ID_LIKE, "no payment ids in the timeline");
      assert.doesNotMatch(story, /pago capturado|tarjeta retenida/);
      await noSidewaysScroll(page, "order accepted");
      await shot(page, `booking-${size.name}-3-accepted`);

      // The seller's side of the same page: their buttons, the buyer's contact, and still no sideways scroll.
      const sellerContext = await browser.newContext({ locale: "es-ES", viewport: { width: size.width, height: size.height } });
      const sellerPage = await sellerContext.newPage();
      await logIn(sellerPage, "carlos.plumber@example.com");
      await sellerPage.goto(`${WEB}/pedidos/${orderId}`);
      await waitForText(sellerPage.getByTestId("timeline"), "Se cobró el pago de");
      const sellerStory = plain(await sellerPage.getByTestId("timeline").textContent());
      assert.ok(sellerStory.includes("El cliente ·") && sellerStory.includes("Tú ·"), `the seller reads who did what: ${sellerStory}`);
      await sellerPage.getByRole("button", { name: "Empezar" }).waitFor();
      await noSidewaysScroll(sellerPage, "the seller's order page");
      await shot(sellerPage, `booking-${size.name}-3b-seller`);
      await sellerContext.close();

      // The confirmation states what the policy gives back now, as the API computed it.
      const buyer = await apiLogIn("ana.buyer@example.com");
      const view = await api("GET", `/orders/${orderId}`, { token: buyer.access_token });
      const refund = view.cancellation.refund.amount;
      await page.getByRole("button", { name: "Cancelar pedido" }).click();
      const confirm = page.getByTestId("confirm-cancel");
      await confirm.waitFor();
      const said = plain(await confirm.textContent());
      assert.ok(said.includes(euros(refund)), `the refund (${euros(refund)}) is stated: ${said}`);
      assert.ok(said.includes("te devolvemos"), said);
      await noSidewaysScroll(page, "cancel confirmation");
      await shot(page, `booking-${size.name}-4-confirm-cancel`);
      await confirm.getByLabel("Motivo (opcional)").fill("Ya lo arregló un vecino");
      await confirm.getByRole("button", { name: "Sí, cancelar el pedido" }).click();
      await waitForText(status, "Cancelado");
      await waitForText(timeline, "Pedido cancelado");
      const after = plain(await timeline.textContent());
      assert.ok(refund === 0 ? after.includes("no hay reembolso") : after.includes(`se devuelven ${euros(refund)}`), after);
      assert.ok(after.includes("Ya lo arregló un vecino"), "the buyer's reason is in their words");
      assert.doesNotMatch(after, ID_LIKE);
      await shot(page, `booking-${size.name}-5-cancelled`);

      await page.goto(`${WEB}/pedidos`);
      await page.getByTestId("orders-buyer").waitFor();
      const list = plain(await page.getByTestId("orders-buyer").textContent());
      assert.doesNotMatch(list, /\d{4}-\d{2}-\d{2}|T\d{2}:\d{2}|EUR/);
      await noSidewaysScroll(page, "my orders");
      await shot(page, `booking-${size.name}-6-orders`);
      console.log(`# ${size.name}: booking page ${height}px tall, ${shortList} times shown for the day`);
      await context.close();
    });
  }

  it("reads in English with English money and dates", async () => {
    const { items } = await api("GET", `/services?q=${encodeURIComponent("fugas grifos")}&page_size=5`);
    const service = items.find((s) => s.title === SERVICE_TITLE);
    const context = await browser.newContext({ locale: "en-GB", viewport: { width: 390, height: 844 } });
    await context.addCookies([{ name: "lang", value: "en", url: WEB }]);
    const page = await context.newPage();
    // The log-in form speaks English once the cookie is set.
    await page.goto(`${WEB}/entrar`);
    await page.getByLabel("E-mail").fill("ana.buyer@example.com");
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Log in" }).click();
    await page.getByRole("button", { name: "Log out", includeHidden: true }).first().waitFor({ state: "attached" });
    await page.goto(`${WEB}/reservar/${service.id}`);
    // A day after tomorrow, so the free-cancellation limit is still ahead.
    await page.getByTestId("day-strip").locator("a.day").nth(2).click();
    await page.waitForURL(/\?dia=/);
    await page.locator(".times .slot").first().click();
    const summary = page.getByTestId("booking-summary");
    await summary.getByTestId("price-breakdown").waitFor();
    await waitForText(summary, "Free cancellation until");
    const text = plain(await summary.textContent());
    assert.match(text, /Total to pay€\d+(\.\d{2})?/);
    assert.match(text, /(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday) \d{1,2} (January|February|March|April|May|June|July|August|September|October|November|December)/);
    assert.doesNotMatch(text, /EUR|,00/);
    await noSidewaysScroll(page, "booking in English");
    await shot(page, "booking-phone-en");
    await context.close();
  });
});
