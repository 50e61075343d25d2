import crypto from "node:crypto";
import type { IncomingMessage } from "node:http";

/** The cookie a browser keeps after it has once opened the app with `?token=`. */
export const TOKEN_COOKIE = "dss_token";

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

/** The token a request carries: `Authorization: Bearer`, the cookie, or `?token=`. */
export function presentedToken(req: IncomingMessage, url: URL): string | undefined {
  const auth = req.headers.authorization;
  if (auth?.startsWith("Bearer ")) return auth.slice(7).trim();
  return url.searchParams.get("token") ?? cookieValue(req.headers.cookie, TOKEN_COOKIE);
}

/** True when no token is required, or when the request presents the right one. */
export function isAuthorized(expected: string | null, presented: string | undefined): boolean {
  return expected === null || (presented !== undefined && safeEqual(presented, expected));
}
