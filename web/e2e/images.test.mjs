// Photos end to end: a seller uploads their photo in the panel (a phone's JPEG with a GPS position) and it shows
// on their public profile without the position; a text file named .jpg is refused in Spanish; a service photo
// shows on the service's card.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, it } from "node:test";
import { API, PASSWORD, WEB, api, launch, logIn, shot } from "./helpers.mjs";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const python = process.env.PYTHON ?? path.join(repo, ".venv/bin/python");
const dir = mkdtempSync(path.join(tmpdir(), "e2e-photos-"));

/** A JPEG with a GPS position in its EXIF, made by the tests' own helper (Pillow). */
function photoWithGps(file, colour) {
  execFileSync(python, ["-c", `import sys; sys.path.insert(0, "."); from tests.images import photo, has_gps
data = photo(1200, 900, gps=True, colour=${colour}); assert has_gps(data); open(sys.argv[1], "wb").write(data)`, file],
  { cwd: repo });
  return file;
}

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

describe("photos", () => {
  it("a seller uploads a photo on a phone and it shows on the profile, without its GPS position", async () => {
    const email = `foto-${randomUUID().slice(0, 8)}@example.com`;
    await api("POST", "/auth/register", { body: { email, password: PASSWORD, display_name: "Lucía Reformas", role: "seller" } });
    const { access_token: token } = await api("POST", "/auth/login", { body: { email, password: PASSWORD } });
    const profile = await api("PUT", "/me/seller-profile", { token, body: { display_name: "Lucía Reformas", headline: "Reformas en Madrid",
                                                                          service_areas: ["Madrid"] } });
    const service = await api("POST", "/services", { token, body: {
      title: "Alicatado de baños", description: "Cambio azulejos.", category: "handyman", price_model: "fixed",
      price: { amount: 9000, currency: "EUR" }, duration_minutes: 120, service_areas: ["Madrid"] } });

    const context = await browser.newContext({ locale: "es-ES", viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    await logIn(page, email);
    await page.goto(`${WEB}/vendedor`);
    const editor = page.getByTestId("seller-photo-editor");
    // No photo yet: the initials stand in.
    await editor.getByRole("img", { name: "Lucía Reformas" }).waitFor();
    assert.equal(await editor.locator("img").count(), 0);

    // A text file named like a photo is refused, in Spanish.
    const fake = path.join(dir, "foto.jpg");
    writeFileSync(fake, "esto no es una foto");
    await editor.getByLabel("Subir foto").setInputFiles(fake);
    await editor.getByRole("alert").filter({ hasText: "Ese archivo no es una foto JPEG, PNG o WebP." }).waitFor();

    await editor.getByLabel("Subir foto").setInputFiles(photoWithGps(path.join(dir, "selfie.jpg"), "(180, 90, 60)"));
    await editor.getByText("Foto guardada.").waitFor();
    await editor.locator("img.avatar").waitFor();
    assert.equal(await editor.getByRole("alert").count(), 0);
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), "the panel scrolls sideways");

    // A service photo, added from the same panel.
    const gallery = page.getByTestId("service-photos-editor");
    await gallery.getByLabel("Añadir foto").setInputFiles(photoWithGps(path.join(dir, "obra.jpg"), "(20, 120, 200)"));
    await gallery.getByRole("img", { name: "Foto 1: Alicatado de baños" }).waitFor();
    await shot(page, "images-01-seller-panel-phone");

    // The public profile shows the face and the service's photo.
    await page.goto(`${WEB}/vendedores/${profile.seller_id}`);
    const avatar = page.getByRole("img", { name: "Lucía Reformas" });
    await avatar.waitFor();
    const src = await avatar.getAttribute("src");
    assert.ok(src?.startsWith(`${API}/images/${profile.seller_id}/`), src);
    assert.ok(await avatar.evaluate((img) => img.complete && img.naturalWidth > 0), "the photo did not load");
    const card = page.getByTestId("service-card").filter({ hasText: service.title });
    assert.ok(await card.locator("img.service-photo").evaluate((img) => img.complete && img.naturalWidth > 0));
    await shot(page, "images-02-profile-phone");

    // What the browser got: a WebP with no EXIF (so no GPS), cacheable for a year.
    const large = src.replace("/thumb.webp", "/large.webp");
    const response = await fetch(large);
    const bytes = Buffer.from(await response.arrayBuffer());
    assert.equal(response.headers.get("content-type"), "image/webp");
    assert.match(response.headers.get("cache-control") ?? "", /max-age=31536000, immutable/);
    assert.equal(bytes.subarray(8, 12).toString(), "WEBP");
    assert.ok(!bytes.includes(Buffer.from("EXIF")) && !bytes.includes(Buffer.from("Exif")), "the photo kept its EXIF");
    await context.close();
  });
});
