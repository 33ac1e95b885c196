import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { WEB, launch, shot } from "./helpers.mjs";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

describe("the search box suggests as a buyer types, and an empty search says what would find something", () => {
  it("offers trades while typing, moves with the keyboard, closes with Escape and searches with Enter", async () => {
    const context = await browser.newContext({ locale: "es-ES" });
    const page = await context.newPage();
    await page.goto(WEB);
    const box = page.getByRole("combobox", { name: "¿Qué necesitas?" });
    await box.pressSequentially("fonta", { delay: 30 });
    const list = page.getByRole("listbox", { name: "Sugerencias" });
    await list.waitFor();
    assert.equal(await box.getAttribute("aria-expanded"), "true");
    const options = list.getByRole("option");
    assert.deepEqual((await options.allTextContents()).slice(0, 2), ["fontanera profesional", "fontanero profesional"]);
    await shot(page, "suggest-01-open");

    await box.press("ArrowDown");
    await box.press("ArrowDown");
    assert.equal(await options.nth(1).getAttribute("aria-selected"), "true");
    assert.equal(await box.getAttribute("aria-activedescendant"), await options.nth(1).getAttribute("id"));
    await box.press("Escape");
    await list.waitFor({ state: "hidden" });
    assert.equal(await box.getAttribute("aria-expanded"), "false");

    await box.press("ArrowDown");  // opens again on the first option
    await box.press("ArrowDown");
    await box.press("Enter");
    await page.waitForURL(/\/buscar\?q=fontanero/);
    const cards = page.getByTestId("service-card").filter({ visible: true });
    await cards.first().waitFor();
    assert.ok((await cards.locator("h3").allTextContents()).includes("Reparación de fugas y grifos"));
    await context.close();
  });

  it("shows the hints of a search that found nothing and follows one", async () => {
    const context = await browser.newContext({ locale: "es-ES" });
    const page = await context.newPage();
    await page.goto(`${WEB}/buscar?q=fontanero&max_price=1`);
    const hints = page.getByTestId("search-hints");
    await hints.waitFor();
    await shot(page, "suggest-02-hints");
    await hints.getByRole("link", { name: "Quitar el filtro de precio" }).click();
    await page.waitForURL((url) => url.pathname === "/buscar" && !url.search.includes("max_price"));
    await page.getByTestId("service-card").filter({ visible: true }).first().waitFor();
    assert.equal(await page.getByRole("combobox", { name: "¿Qué necesitas?" }).inputValue(), "fontanero");
    await context.close();
  });
});
