import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { ConnectionStatus } from "@/components/ui/ConnectionStatus";
import "./globals.css";

export const metadata: Metadata = {
  title: "DStream Studio",
  description: "Design, run and watch Spark-Streaming-style DStream pipelines",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
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
          <ConnectionStatus />
        </header>
        <main className="page">{children}</main>
      </body>
    </html>
  );
}
