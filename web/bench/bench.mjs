// `make bench` (web part): the server-rendered search page against the API search it wraps, measured in the same
// run on the same stack, and the gzipped JavaScript the search and profile pages ship. Reports; asserts nothing.
import { appendFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { scriptTransfer } from "./transfer.mjs";

const WEB = process.env.E2E_WEB;
const API = process.env.E2E_API;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 60);
const WARMUP = 30;

const whole = new Map();
const printed = [];

function say(line) {
  console.log(line);
  printed.push(line);
}

/** Time to the first byte of the body; the time to the last byte is kept in `whole`, per URL. */
async function ttfb(url) {
  const started = performance.now();
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  const reader = response.body.getReader();
  let chunk = await reader.read();
  const first = performance.now() - started;
  while (!chunk.done) chunk = await reader.read();
  whole.set(url, [...(whole.get(url) ?? []), performance.now() - started]);
  return first;
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
  // Warm up both until the JIT has settled: with 5 rounds, the first pair measured was reliably the worst.
  for (let i = 0; i < WARMUP; i += 1) { await ttfb(pageUrl); await ttfb(apiUrl); }
  const page = [];
  const api = [];
  for (let i = 0; i < ROUNDS; i += 1) { // interleaved, so both see the same load on the machine
    api.push(await ttfb(apiUrl));
    page.push(await ttfb(pageUrl));
  }
  // Each page request is paired with the API call just before it: the median of those ratios follows the
  // machine's load as it drifts, which a ratio of two medians taken over the whole run does not.
  const ratio = median(page.map((p, i) => p / api[i]));
  const full = whole.get(pageUrl).slice(WARMUP);
  say(`${label}: page TTFB median ${median(page).toFixed(1)} ms (p90 ${p90(page).toFixed(1)}), ` +
              `API search median ${median(api).toFixed(1)} ms (p90 ${p90(api).toFixed(1)}); ` +
              `ratio ${ratio.toFixed(2)} (median of ${ROUNDS} paired ratios; ratio of the medians ` +
              `${(median(page) / median(api)).toFixed(2)}) (target <= 1.5) ${ratio <= 1.5 ? "OK" : "OVER"}; ` +
              `the page's whole response median ${median(full).toFixed(1)} ms`);
}

async function javascript(label, pageUrl) {
  const html = await (await fetch(pageUrl)).text();
  // Modern browsers skip the noModule polyfills, so they are not counted.
  const tags = [...html.matchAll(/<script[^>]+src="([^"]+)"[^>]*>/g)].filter((m) => !/nomodule/i.test(m[0]));
  const scripts = [...new Set(tags.map((m) => m[1]))];
  let total = 0;
  for (const src of scripts) {
    const body = Buffer.from(await (await fetch(new URL(src, WEB))).arrayBuffer());
    total += gzipSync(body, { level: 9 }).length;
  }
  const kb = total / 1024;
  say(`${label}: ${scripts.length} scripts, ${kb.toFixed(1)} KB gzipped (target < 150 KB) ${kb < 150 ? "OK" : "OVER"}`);
  // What the server really sends (web/server.mjs compresses the hashed assets), and how long browsers keep it.
  const [br, gz] = [await scriptTransfer(pageUrl, "gzip, deflate, br"), await scriptTransfer(pageUrl, "gzip")];
  say(`${label} as sent: ${br.sentKB.toFixed(1)} KB (${br.encodings.join("/")}), ${gz.sentKB.toFixed(1)} KB `
      + `(${gz.encodings.join("/")}) of ${br.rawKB.toFixed(1)} KB; Cache-Control ${br.caches.join(" | ")}`);
}

const profileId = (await (await fetch(`${API}/services?q=fontaneria&page_size=1`)).json()).items[0].seller_id;
await compare("search 'fontaneria'", `${WEB}/buscar?q=fontaneria`, `${API}/services?q=fontaneria&page=1&page_size=12`);
await compare("search plumbing <= 50 EUR", `${WEB}/buscar?category=plumbing&max_price=50`,
              `${API}/services?category=plumbing&max_price=5000&page=1&page_size=12`);
// Next's own cost, for scale: a route handler with no React and no API call.
await compare("baseline: Next route handler vs API search", `${WEB}/square-card-form`,
              `${API}/services?q=fontaneria&page=1&page_size=12`);
await compare("baseline: a page with no API call (/entrar) vs API search", `${WEB}/entrar`,
              `${API}/services?q=fontaneria&page=1&page_size=12`);
await javascript("JS of the search page", `${WEB}/buscar?q=fontaneria`);
await javascript("JS of the profile page", `${WEB}/vendedores/${profileId}`);

// `make bench` (the whole run) adds these figures to the results file the Python part has just written.
if (process.env.BENCH_RESULTS) {
  appendFileSync(process.env.BENCH_RESULTS,
                 ["", "## Web front end (issue #13; web/bench/bench.mjs, on the end-to-end stack's demo data)", "",
                  ...printed.map((line) => `- ${line}`), ""].join("\n"));
}
