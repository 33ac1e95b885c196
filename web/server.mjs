// The production web server: Next's standalone output behind a few lines of Node that serve the build's hashed
// assets themselves, compressed (brotli, else gzip) once and kept in memory, with a year of caching: their names
// change whenever their content does. Everything else (pages, route handlers, icons) is Next's.
// Run from the standalone folder (`npm run build` copies this file there): node .next/standalone/server.mjs
// PORT (3000) and HOST (127.0.0.1; 0.0.0.0 in a container) choose where it listens.
import { readFileSync, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import zlib from "node:zlib";

const dir = path.dirname(fileURLToPath(import.meta.url));
const port = Number.parseInt(process.env.PORT ?? "3000", 10);
const host = process.env.HOST ?? "127.0.0.1";
const STATIC_ROOT = path.join(dir, ".next", "static");
const PUBLIC_ROOT = path.join(dir, "public");
const IMMUTABLE = "public, max-age=31536000, immutable";
// Public files keep their names across releases: a day, then the browser asks again.
const PUBLIC_CACHE = "public, max-age=86400";
const TYPES = { ".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8", ".map": "application/json",
  ".json": "application/json", ".svg": "image/svg+xml", ".txt": "text/plain; charset=utf-8", ".woff2": "font/woff2",
  ".png": "image/png", ".ico": "image/x-icon", ".webmanifest": "application/manifest+json", ".webp": "image/webp" };
const COMPRESSIBLE = new Set([".js", ".css", ".map", ".json", ".svg", ".txt", ".webmanifest", ".ico"]);
const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

const built = JSON.parse(readFileSync(path.join(dir, ".next", "required-server-files.json"), "utf8")).config;
// Pages stay uncompressed unless NEXT_COMPRESS=1 (see next.config.mjs), read here at start like every setting.
const config = { ...built, compress: process.env.NEXT_COMPRESS === "1" };
process.env.NODE_ENV = "production";
// What Next's own standalone server.js does before loading Next: the build's config, not next.config.mjs.
process.env.__NEXT_PRIVATE_STANDALONE_CONFIG = JSON.stringify(config);
const { default: next } = await import("next");
const app = next({ dev: false, dir, hostname: host, port, conf: config });
const handle = app.getRequestHandler();
await app.prepare();

/** The file under root that the URL path names, or null (outside root, a folder, missing). */
function fileUnder(root, urlPath) {
  let relative;
  try { relative = decodeURIComponent(urlPath); } catch { return null; }
  const file = path.join(root, path.normalize(relative));
  if (!file.startsWith(root + path.sep)) return null;
  try { return statSync(file).isFile() ? file : null; } catch { return null; }
}

function encodingFor(accept) {
  if (/\bbr\b/.test(accept)) return "br";
  if (/\bgzip\b/.test(accept)) return "gzip";
  return null;
}

// Hashed assets never change while the process runs: each is compressed once per encoding.
const cache = new Map();
async function body(file, encoding) {
  const key = `${encoding ?? "identity"}:${file}`;
  if (!cache.has(key)) {
    cache.set(key, readFile(file).then((raw) => {
      if (encoding === "br") return brotli(raw, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } });
      if (encoding === "gzip") return gzip(raw, { level: 9 });
      return raw;
    }));
  }
  return cache.get(key);
}

async function serveFile(req, res, file, cacheControl) {
  const ext = path.extname(file);
  const encoding = COMPRESSIBLE.has(ext) ? encodingFor(String(req.headers["accept-encoding"] ?? "")) : null;
  const content = await body(file, encoding);
  const headers = { "Content-Type": TYPES[ext] ?? "application/octet-stream", "Content-Length": content.length,
                    "Cache-Control": cacheControl, "X-Content-Type-Options": "nosniff" };
  if (COMPRESSIBLE.has(ext)) headers.Vary = "Accept-Encoding";
  if (encoding) headers["Content-Encoding"] = encoding;
  res.writeHead(200, headers);
  res.end(req.method === "HEAD" ? undefined : content);
}

const server = createServer((req, res) => {
  const { pathname } = new URL(req.url ?? "/", "http://localhost");
  if (req.method === "GET" || req.method === "HEAD") {
    const asset = pathname.startsWith("/_next/static/") && fileUnder(STATIC_ROOT, pathname.slice("/_next/static/".length));
    const publicFile = !asset && !pathname.startsWith("/_next/") && fileUnder(PUBLIC_ROOT, pathname);
    if (asset || publicFile) {
      serveFile(req, res, asset || publicFile, asset ? IMMUTABLE : PUBLIC_CACHE).catch((error) => {
        console.error(error);
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
      return;
    }
  }
  handle(req, res);
});
server.listen(port, host, () => console.log(`web: http://${host}:${port}`));
// Stop taking requests, let those under way finish for a moment, then go.
for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, () => {
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 3_000).unref();
  });
}
