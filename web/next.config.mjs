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
};
export default nextConfig;
