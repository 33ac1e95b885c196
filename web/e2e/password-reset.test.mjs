import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { PASSWORD, WEB, api, eventually, launch, shot } from "./helpers.mjs";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const NEW_PASSWORD = "otra-contraseña-larga-2";

/** The reset links the local SMTP server received for this address, newest last (its decoded received.jsonl). */
async function mailedLinks(email) {
  const lines = (await readFile(path.join(process.env.E2E_MAILDIR, "received.jsonl"), "utf8").catch(() => ""))
    .split("\n").filter(Boolean).map((line) => JSON.parse(line));
  return lines.filter((mail) => mail.to.includes(email))
    .flatMap((mail) => [...mail.text.matchAll(/https?:\/\/\S+\/restablecer\?token=[\w%-]+/g)].map((m) => ({ mail, link: m[0] })));
}

async function signInWith(page, email, password) {
  await page.goto(`${WEB}/entrar`);
  await page.getByLabel("Correo electrónico").fill(email);
  await page.getByLabel("Contraseña").fill(password);
  await page.getByRole("button", { name: "Entrar" }).click();
}

describe("a person who forgot the password gets back in by e-mail", () => {
  it("asks for a link, reads the mail, sets a new password, and only the new one works", async () => {
    const email = `olvido-${randomUUID().slice(0, 8)}@example.com`;
    await api("POST", "/auth/register", { body: { email, password: PASSWORD, display_name: "Lucía Olvido" } });
    const context = await browser.newContext({ locale: "es-ES" });
    const page = await context.newPage();

    await page.goto(`${WEB}/entrar`);
    await page.getByRole("link", { name: "¿Has olvidado tu contraseña?" }).click();
    await page.waitForURL(/\/recuperar$/);
    await page.getByLabel("Correo electrónico").fill(email);
    await page.getByRole("button", { name: "Enviar el enlace" }).click();
    await page.getByText("Si hay una cuenta con ese correo, te hemos enviado un enlace").waitFor();
    await shot(page, "reset-01-asked");

    // Through the outbox, Kafka and the email worker to the local SMTP server.
    const [{ mail, link }] = await eventually(async () => { const found = await mailedLinks(email); return found.length ? found : null; });
    assert.equal(mail.subject, "Restablece tu contraseña");
    assert.ok(mail.html.includes(link.replace(/&/g, "&amp;")), "the HTML body carries the same link");
    assert.ok(link.startsWith(`${WEB}/restablecer?token=`), link);

    await page.goto(link);
    await page.getByLabel("Contraseña nueva").fill(NEW_PASSWORD);
    await page.getByRole("button", { name: "Guardar la contraseña" }).click();
    await page.getByText("Contraseña cambiada.").waitFor();
    await shot(page, "reset-02-done");

    // The link works once.
    await page.goto(link);
    await page.getByLabel("Contraseña nueva").fill("una-tercera-contraseña-3");
    await page.getByRole("button", { name: "Guardar la contraseña" }).click();
    await page.getByText("Este enlace ya no sirve").waitFor();

    await signInWith(page, email, PASSWORD);
    await page.getByRole("alert").first().waitFor();
    assert.ok(!(await page.getByRole("button", { name: "Salir" }).isVisible()), "the old password still signs in");
    await signInWith(page, email, NEW_PASSWORD);
    await page.getByRole("button", { name: "Salir", includeHidden: true }).first().waitFor({ state: "attached" });
    await shot(page, "reset-03-signed-in");
    await context.close();
  });
});
