// The checks every page of the marketplace must pass, at a phone's size and a laptop's: nothing wider than the
// screen, and axe-core's accessibility rules with no violation of any impact.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { PASSWORD, WEB, shot } from "./helpers.mjs";

const require = createRequire(import.meta.url);
let axeSource;

export const SIZES = { phone: { width: 390, height: 844 }, laptop: { width: 1366, height: 900 } };

function describeViolations(violations) {
  return violations.map((v) => `${v.impact} ${v.id}: ${v.help}\n${v.nodes.slice(0, 5)
    .map((n) => `    ${n.target.join(" ")} ${n.failureSummary?.split("\n").slice(1, 2).join("") ?? ""}`).join("\n")}`).join("\n");
}

/** Waits for the page to settle, then asserts it fits its width and that axe-core finds nothing. */
export async function checkPage(page, name) {
  await page.waitForLoadState("networkidle").catch(() => undefined);
  // Pages for signed-in people render after the session refresh: their heading says they are there.
  await page.locator("h1").first().waitFor({ timeout: 15_000 }).catch(() => undefined);
  const { scrollWidth, innerWidth, widest } = await page.evaluate(() => {
    const width = window.innerWidth;
    // The element that sticks out, to say where the page overflows when it does.
    const wide = [...document.querySelectorAll("body *")].find((el) => el.getBoundingClientRect().right > width + 1
      && getComputedStyle(el).position !== "fixed" && !el.closest("[class*=scroll]"));
    return { scrollWidth: document.documentElement.scrollWidth, innerWidth: width,
             widest: wide ? `${wide.tagName.toLowerCase()}.${wide.className}` : "" };
  });
  if (scrollWidth > innerWidth) await shot(page, `failed-${name.replace(/\W+/g, "-")}`);
  assert.ok(scrollWidth <= innerWidth, `${name}: the page is ${scrollWidth}px wide on a ${innerWidth}px screen (${widest})`);
  axeSource ??= await readFile(require.resolve("axe-core/axe.min.js"), "utf8");
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => window.axe.run(document, { resultTypes: ["violations"] }));
  if (result.violations.length) await shot(page, `failed-${name.replace(/\W+/g, "-")}`);
  assert.equal(result.violations.length, 0, `${name}: axe-core found\n${describeViolations(result.violations)}`);
}

/** Logs in through the page at any size (the header's "Salir" sits in the menu on a phone). */
export async function logInAnywhere(page, email) {
  await page.goto(`${WEB}/entrar`);
  await page.getByLabel("Correo electrónico").fill(email);
  await page.getByLabel("Contraseña").fill(PASSWORD);
  await page.getByRole("button", { name: "Entrar" }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/entrar"));
}
