// What a browser downloads for a page's JavaScript, as it travels: each script of the page fetched with the
// browser's Accept-Encoding, its bytes counted before any decompression, with the encoding and cache header it
// came with. Usage: node bench/transfer.mjs http://127.0.0.1:3000/entrar ["gzip"]
import http from "node:http";

function get(url, headers = {}) {
  return new Promise((resolve, reject) => {
    http.get(url, { headers }, (response) => {
      const chunks = [];
      response.on("data", (chunk) => chunks.push(chunk));
      response.on("end", () => resolve({ status: response.statusCode, headers: response.headers, body: Buffer.concat(chunks) }));
    }).on("error", reject);
  });
}

export async function scriptTransfer(pageUrl, acceptEncoding = "gzip, deflate, br, zstd") {
  const page = await get(pageUrl);
  // A modern browser skips the noModule polyfills: they are not counted.
  const tags = [...page.body.toString().matchAll(/<script[^>]+src="([^"]+)"[^>]*>/g)].filter((m) => !/noModule/i.test(m[0]));
  const srcs = [...new Set(tags.map((m) => m[1]))];
  let raw = 0, sent = 0;
  const encodings = new Set(), caches = new Set();
  for (const src of srcs) {
    const url = new URL(src, pageUrl).href;
    const plain = await get(url, { "Accept-Encoding": "identity" });
    const wire = await get(url, { "Accept-Encoding": acceptEncoding });
    raw += plain.body.length;
    sent += wire.body.length;
    encodings.add(wire.headers["content-encoding"] ?? "none");
    caches.add(wire.headers["cache-control"] ?? "none");
  }
  return { scripts: srcs.length, rawKB: raw / 1024, sentKB: sent / 1024, encodings: [...encodings], caches: [...caches] };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await scriptTransfer(process.argv[2], process.argv[3]);
  console.log(JSON.stringify({ ...result, rawKB: +result.rawKB.toFixed(1), sentKB: +result.sentKB.toFixed(1) }));
}
