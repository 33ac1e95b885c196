// The headers every answer gets, assets included (kept beside the CSP in src/lib/security-headers.ts).
const SECURITY_HEADERS = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "same-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), usb=(), payment=(self)" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
];

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  // .next/standalone: the server and only the node_modules it uses, for the container (see server.mjs).
  output: "standalone",
  poweredByHeader: false,
  // The hashed assets are compressed by server.mjs (once, brotli or gzip). Pages are left to the proxy or CDN
  // in front: Next's own gzip runs every flush of the stream through zlib in JavaScript, and in `make bench`
  // it put ~40 ms before the search page's first byte, more than the API search the page wraps.
  // NEXT_COMPRESS=1 turns it back on where nothing in front compresses.
  compress: process.env.NEXT_COMPRESS === "1",
  async headers() {
    return [
      { source: "/:path*", headers: SECURITY_HEADERS },
      // The card form is framed by this site's own order page (its CSP says frame-ancestors 'self'); a later
      // rule's value wins.
      { source: "/square-card-form", headers: [{ key: "X-Frame-Options", value: "SAMEORIGIN" }] },
    ];
  },
};
export default nextConfig;
