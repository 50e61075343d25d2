import crypto from "node:crypto";
import type { IncomingMessage } from "node:http";

/** The cookie a browser keeps after it has once opened the app with `?token=`. */
export const TOKEN_COOKIE = "dss_token";

/** A credential that is not even well-formed (a cookie that is not percent-encoded text, a token that is no string). */
export class MalformedCredentialError extends Error {
  override name = "MalformedCredentialError";
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

/** A cookie's value; throws MalformedCredentialError when it is not valid percent-encoding. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      const raw = part.slice(eq + 1).trim();
      try {
        return decodeURIComponent(raw);
      } catch {
        throw new MalformedCredentialError(`the ${name} cookie is not valid percent-encoded text; clear it and open the app with ?token=<access token>`);
      }
    }
  }
  return undefined;
}

/**
 * The token a request carries: `Authorization: Bearer`, `?token=`, or the cookie. Throws
 * MalformedCredentialError when the cookie cannot be decoded.
 */
export function presentedToken(req: IncomingMessage, url: URL): string | undefined {
  const auth = req.headers.authorization;
  if (auth?.startsWith("Bearer ")) return auth.slice(7).trim();
  return url.searchParams.get("token") ?? cookieValue(req.headers.cookie, TOKEN_COOKIE);
}

/** True when no token is required, or when the request presents the right one. */
export function isAuthorized(expected: string | null, presented: unknown): boolean {
  return expected === null || (typeof presented === "string" && safeEqual(presented, expected));
}
