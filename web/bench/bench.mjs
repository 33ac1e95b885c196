// `make bench` (web part): the server-rendered search page against the API search it wraps, measured in the same
// run on the same stack, and the gzipped JavaScript the search and profile pages ship. Reports; asserts nothing.
import { gzipSync } from "node:zlib";

const WEB = process.env.E2E_WEB;
const API = process.env.E2E_API;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 40);

async function ttfb(url) {
  const started = performance.now();
  const response = await fetch(url);
  const elapsed = performance.now() - started; // fetch resolves once the status line and headers have arrived
  await response.arrayBuffer();
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return elapsed;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function p90(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length * 0.9)];
}

async function compare(label, pageUrl, apiUrl) {
  for (let i = 0; i < 5; i += 1) { await ttfb(pageUrl); await ttfb(apiUrl); } // warm up both
  const page = [];
  const api = [];
  for (let i = 0; i < ROUNDS; i += 1) { // interleaved, so both see the same load on the machine
    api.push(await ttfb(apiUrl));
    page.push(await ttfb(pageUrl));
  }
  const ratio = median(page) / median(api);
  console.log(`${label}: page TTFB median ${median(page).toFixed(1)} ms (p90 ${p90(page).toFixed(1)}), ` +
              `API search median ${median(api).toFixed(1)} ms (p90 ${p90(api).toFixed(1)}); ` +
              `ratio ${ratio.toFixed(2)} (target <= 1.5) ${ratio <= 1.5 ? "OK" : "OVER"}`);
}

async function javascript(label, pageUrl) {
  const html = await (await fetch(pageUrl)).text();
  const scripts = [...new Set([...html.matchAll(/<script[^>]+src="([^"]+)"/g)].map((m) => m[1]))];
  let total = 0;
  for (const src of scripts) {
    const body = Buffer.from(await (await fetch(new URL(src, WEB))).arrayBuffer());
    total += gzipSync(body, { level: 9 }).length;
  }
  const kb = total / 1024;
  console.log(`${label}: ${scripts.length} scripts, ${kb.toFixed(1)} KB gzipped (target < 150 KB) ${kb < 150 ? "OK" : "OVER"}`);
}

const profileId = (await (await fetch(`${API}/services?q=fontaneria&page_size=1`)).json()).items[0].seller_id;
await compare("search 'fontaneria'", `${WEB}/buscar?q=fontaneria`, `${API}/services?q=fontaneria&page=1&page_size=12`);
await compare("search plumbing <= 50 EUR", `${WEB}/buscar?category=plumbing&max_price=50`,
              `${API}/services?category=plumbing&max_price=5000&page=1&page_size=12`);
await javascript("JS of the search page", `${WEB}/buscar?q=fontaneria`);
await javascript("JS of the profile page", `${WEB}/vendedores/${profileId}`);
