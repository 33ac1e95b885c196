import type { Metadata, Viewport } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { cookies } from "next/headers";
import { HeaderNav } from "@/components/header";
import { Providers } from "@/components/providers";
import { apiBaseUrl, cardFormUrl, serverLang } from "@/server";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Manitas: servicios para tu casa", template: "%s · Manitas" },
  description: "Fontanería, limpieza, electricistas, jardinería y reparaciones: reserva y paga con tarjeta.",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1, themeColor: "#0b5d55" };

export default async function RootLayout({ children }: { children: ReactNode }) {
  const { lang, t } = await serverLang();
  // The cookie's name is SIGNED_IN_COOKIE (app/api/auth/session.ts, a server route module the layout must not import).
  const maybeSignedIn = (await cookies()).has("mp_signed_in");
  return (
    <html lang={lang}>
      <body>
        <a className="skip" href="#main">{lang === "es" ? "Saltar al contenido" : "Skip to content"}</a>
        <Providers lang={lang} t={t} apiBaseUrl={apiBaseUrl()} cardFormUrl={cardFormUrl()} maybeSignedIn={maybeSignedIn}>
          <header className="top">
            <Link href="/" className="brand">
              <svg aria-hidden="true" width="28" height="28" viewBox="0 0 32 32">
                <rect width="32" height="32" rx="8" fill="currentColor" />
                <path d="M8 17 16 9l8 8M11 15v8h10v-8" fill="none" stroke="#fff" strokeWidth="2.4" strokeLinejoin="round" strokeLinecap="round" />
              </svg>
              {t.brand}
            </Link>
            <nav aria-label={lang === "es" ? "Principal" : "Main"}>
              <HeaderNav />
            </nav>
          </header>
          <main id="main">{children}</main>
        </Providers>
      </body>
    </html>
  );
}
