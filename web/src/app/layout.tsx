import type { Metadata, Viewport } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { AccountMenu, HelpLink, LangSwitch } from "@/components/header";
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
  return (
    <html lang={lang}>
      <body>
        <a className="skip" href="#main">{lang === "es" ? "Saltar al contenido" : "Skip to content"}</a>
        <Providers lang={lang} t={t} apiBaseUrl={apiBaseUrl()} cardFormUrl={cardFormUrl()}>
          <header className="top">
            <Link href="/" className="brand">{t.brand}</Link>
            <nav aria-label={lang === "es" ? "Principal" : "Main"}>
              <Link href="/buscar">{t.search}</Link>
              <HelpLink />
              <AccountMenu />
              <LangSwitch />
            </nav>
          </header>
          <main id="main">{children}</main>
        </Providers>
      </body>
    </html>
  );
}
