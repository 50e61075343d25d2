import type { IncomingHttpHeaders } from "node:http";
import { isLoopback } from "../config";

/**
 * Which origins may change things: the server's own (the names it listens under) and those in
 * `ALLOWED_ORIGINS`. A page on any other site can make the browser send requests here, with the
 * user's cookie; the browser names that page in `Origin` (or `Referer`), so a request naming a
 * foreign one is refused before it reaches a route. Requests naming neither (curl, scripts) are
 * not cross-site and pass.
 */
export interface OriginPolicy {
  /** The configured listen host (`HOST`). */
  readonly host: string;
  readonly allowedOrigins: readonly string[];
  /**
   * When a token is required, the name the request was sent to (`Host`) counts as the server's
   * own too (the token already stops a rebinding site, which has no cookie for its name).
   */
  readonly tokenRequired: boolean;
}

/** The origin a request says it comes from, or undefined when it names none. */
export function claimedOrigin(headers: IncomingHttpHeaders): { origin: string; header: "Origin" | "Referer" } | undefined {
  const origin = headers.origin;
  if (typeof origin === "string" && origin !== "") return { origin: origin === "null" ? "null" : normalize(origin), header: "Origin" };
  const referer = headers.referer;
  if (typeof referer === "string" && referer !== "") return { origin: normalize(referer), header: "Referer" };
  return undefined;
}

function normalize(text: string): string {
  try {
    const url = new URL(text);
    return url.protocol === "http:" || url.protocol === "https:" ? url.origin : `${url.protocol}(opaque)`;
  } catch {
    return `(malformed: ${text.slice(0, 100)})`;
  }
}

/** The server's own origins for a request that arrived on `port`. */
export function ownOrigins(policy: OriginPolicy, port: number, hostHeader: string | undefined): Set<string> {
  const names = new Set<string>();
  const host = policy.host.includes(":") && !policy.host.startsWith("[") ? `[${policy.host}]` : policy.host;
  names.add(host);
  if (isLoopback(policy.host)) for (const n of ["localhost", "127.0.0.1", "[::1]"]) names.add(n);
  const own = new Set<string>();
  for (const n of names) {
    own.add(normalize(`http://${n}:${port}`));
    own.add(normalize(`https://${n}:${port}`));
  }
  if (policy.tokenRequired && hostHeader) {
    own.add(normalize(`http://${hostHeader}`));
    own.add(normalize(`https://${hostHeader}`));
  }
  return own;
}

/** Why a request's claimed origin may not change anything here, or undefined when it may. */
export function originProblem(policy: OriginPolicy, headers: IncomingHttpHeaders, port: number): string | undefined {
  const claimed = claimedOrigin(headers);
  if (!claimed) return undefined;
  const own = ownOrigins(policy, port, headers.host);
  if (own.has(claimed.origin) || policy.allowedOrigins.includes(claimed.origin)) return undefined;
  const ours = [...own].find((o) => o.startsWith("http:")) ?? "";
  return (
    `this request comes from ${claimed.origin} (its ${claimed.header} header), which is neither this server's origin (${ours}) ` +
    `nor listed in ALLOWED_ORIGINS; a page of another site may not act on DStream Studio. Add the origin to ALLOWED_ORIGINS to allow it.`
  );
}
