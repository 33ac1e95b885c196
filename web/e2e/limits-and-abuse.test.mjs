import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { PASSWORD, WEB, launch, shot } from "./helpers.mjs";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

describe("a person is told in their language why a password is refused", () => {
  it("refuses password12 next to the field, in Spanish, and accepts a long phrase", async () => {
    const context = await browser.newContext({ locale: "es-ES" });
    const page = await context.newPage();
    await page.goto(`${WEB}/registro`);
    await page.getByLabel("Nombre visible").fill("Pepa Prisas");
    await page.getByLabel("Correo electrónico").fill(`pepa-${randomUUID().slice(0, 8)}@example.com`);
    const password = page.getByLabel("Contraseña");
    await password.fill("password12");
    await page.getByRole("button", { name: "Crear cuenta" }).click();
    const message = page.locator(`#${await password.getAttribute("id")}-error`);
    await message.waitFor();
    assert.match(await message.innerText(), /Es una de las contraseñas más usadas/);
    await shot(page, "limits-01-common-password-refused-es");

    await password.fill(`${PASSWORD} tortuga naranja`);
    await page.getByRole("button", { name: "Crear cuenta" }).click();
    await page.getByRole("button", { name: "Salir", includeHidden: true }).first().waitFor({ state: "attached" });
    await context.close();
  });
});
