import crypto from "node:crypto";
import net from "node:net";
import { loadLimits, type RequestLimits } from "./limits";

export interface ServerConfig {
  readonly host: string;
  readonly port: number;
  readonly dev: boolean;
  /** Required on every request when set: beyond loopback always, on loopback if the user set one. */
  readonly accessToken: string | null;
  /** True when the token was generated at start (and so must be printed for the user). */
  readonly tokenGenerated: boolean;
  /** Origins besides the server's own that may change things (`ALLOWED_ORIGINS`, comma-separated). */
  readonly allowedOrigins: readonly string[];
  readonly limits: RequestLimits;
}

/** Parses `ALLOWED_ORIGINS`: comma-separated `http(s)://host[:port]` origins; anything else stops the server. */
export function parseAllowedOrigins(text: string | undefined): string[] {
  const out: string[] = [];
  for (const item of (text ?? "").split(",").map((s) => s.trim()).filter(Boolean)) {
    let url: URL;
    try {
      url = new URL(item);
    } catch {
      throw new Error(`ALLOWED_ORIGINS: "${item}" is not an origin such as https://studio.example.org`);
    }
    if ((url.protocol !== "http:" && url.protocol !== "https:") || url.pathname !== "/" || url.search || url.hash || url.username) {
      throw new Error(`ALLOWED_ORIGINS: "${item}" is not an origin (scheme://host[:port], http or https, no path)`);
    }
    out.push(url.origin);
  }
  return out;
}

/** True for 127.0.0.0/8, ::1 and localhost: addresses no other machine can reach. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  if (h === "localhost" || h === "::1") return true;
  if (net.isIPv4(h)) return h.startsWith("127.");
  if (h.startsWith("::ffff:")) return h.slice(7).startsWith("127.");
  return false;
}

/** Reads HOST, PORT, DSTREAM_STUDIO_TOKEN, ALLOWED_ORIGINS and the limits; refuses values that make no sense. */
export function loadServerConfig(env: Readonly<Record<string, string | undefined>> = process.env, dev = false): ServerConfig {
  const host = env.HOST?.trim() || "127.0.0.1";
  const portText = env.PORT?.trim() || "3000";
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT must be a whole number from 0 to 65535; got "${portText}"`);
  }
  const allowedOrigins = parseAllowedOrigins(env.ALLOWED_ORIGINS);
  const limits = loadLimits(env);
  const given = env.DSTREAM_STUDIO_TOKEN?.trim();
  if (given && given.length < 16) {
    throw new Error("DSTREAM_STUDIO_TOKEN must be at least 16 characters long");
  }
  // A token the user set is always enforced (other users of a shared machine reach loopback
  // too); without one, loopback is open and any other address gets a generated token.
  if (!given && isLoopback(host)) return { host, port, dev, accessToken: null, tokenGenerated: false, allowedOrigins, limits };
  return {
    host,
    port,
    dev,
    accessToken: given || crypto.randomBytes(24).toString("base64url"),
    tokenGenerated: !given,
    allowedOrigins,
    limits,
  };
}
