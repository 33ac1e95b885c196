/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Compression is the job of the proxy or CDN in front (native code, and it does not hold back a streamed
  // page). Next's own gzip runs every flush of the stream through zlib in JavaScript: in `make bench` it
  // put ~40 ms before the search page's first byte, more than the API search the page wraps.
  // NEXT_COMPRESS=1 turns it back on where nothing in front compresses.
  compress: process.env.NEXT_COMPRESS === "1",
};
export default nextConfig;
