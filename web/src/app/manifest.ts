import type { MetadataRoute } from "next";

/** What a phone needs to put the marketplace on its home screen; icons drawn by devtools/web_icons.py. */
export default function manifest(): MetadataRoute.Manifest {
  return {
    name: "Manitas: servicios para tu casa",
    short_name: "Manitas",
    description: "Fontanería, limpieza, electricistas, jardinería y reparaciones: reserva y paga con tarjeta.",
    lang: "es",
    start_url: "/",
    display: "standalone",
    background_color: "#fafaf7",
    theme_color: "#0b5d55",
    icons: [
      { src: "/icons/icon-192.png", sizes: "192x192", type: "image/png" },
      { src: "/icons/icon-512.png", sizes: "512x512", type: "image/png" },
      { src: "/icons/maskable-512.png", sizes: "512x512", type: "image/png", purpose: "maskable" },
    ],
  };
}
