import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { ConnectionStatus } from "@/components/ui/ConnectionStatus";
import { ThemeToggle } from "@/components/ui/theme";
import { THEME_BOOT_SCRIPT } from "@/components/ui/themeChoice";
import "./globals.css";

export const metadata: Metadata = {
  title: "DStream Studio",
  description: "Design, run and watch Spark-Streaming-style DStream pipelines",
  icons: { icon: "/icon.svg" },
  manifest: "/manifest.webmanifest",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    // The boot script sets data-theme before React hydrates, hence the warning suppressed here.
    <html lang="en" suppressHydrationWarning>
      <head>
        <script dangerouslySetInnerHTML={{ __html: THEME_BOOT_SCRIPT }} />
      </head>
      <body>
        <header className="topbar">
          <Link href="/" className="brand">
            <span className="brand-mark" aria-hidden>
              ▤
            </span>
            DStream Studio
          </Link>
          <nav className="topnav">
            <Link href="/">Pipelines</Link>
            <Link href="/runs">Runs</Link>
            <Link href="/tables/account_aggregates">Historic averages</Link>
          </nav>
          <ThemeToggle />
          <ConnectionStatus />
        </header>
        <main className="page">{children}</main>
      </body>
    </html>
  );
}
