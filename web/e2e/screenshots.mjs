// `make screenshots`: the main pages at a phone's size and a laptop's, into web/screenshots/ (linked from the
// README), run against a fresh stack by `node e2e/run.mjs --script e2e/screenshots.mjs`.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { WEB, api, apiLogIn, launch } from "./helpers.mjs";
import { SIZES, logInAnywhere } from "./quality.mjs";

const OUT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../screenshots");
mkdirSync(OUT, { recursive: true });

const carlos = await apiLogIn("carlos.plumber@example.com");
const services = await api("GET", `/services?seller_id=${carlos.user.id}`);
const service = services.items.find((s) => s.price_model !== "quote");

const pages = {
  anonymous: [["home", "/"], ["search-28013", "/buscar?near=28013"], ["search-fontaneria", "/buscar?q=fontaneria"],
              ["profile", `/vendedores/${carlos.user.id}`], ["sign-in", "/entrar"]],
  "ana.buyer@example.com": [["booking", `/reservar/${service.id}`], ["orders", "/pedidos"]],
  "carlos.plumber@example.com": [["seller-panel", "/vendedor"]],
};

const browser = await launch();
try {
  for (const [size, viewport] of Object.entries(SIZES)) {
    for (const [who, list] of Object.entries(pages)) {
      const context = await browser.newContext({ viewport, locale: "es-ES" });
      const page = await context.newPage();
      if (who !== "anonymous") await logInAnywhere(page, who);
      for (const [name, route] of list) {
        await page.goto(`${WEB}${route}`);
        await page.waitForLoadState("networkidle").catch(() => undefined);
        await page.locator("h1").first().waitFor({ timeout: 15_000 }).catch(() => undefined);
        const file = path.join(OUT, `${name}-${size}.png`);
        await page.screenshot({ path: file, fullPage: true });
        console.log(`  ${path.relative(process.cwd(), file)}`);
      }
      await context.close();
    }
  }
} finally {
  await browser.close();
}
