import type { IncomingMessage, ServerResponse } from "node:http";
import { isAuthorized, MalformedCredentialError, presentedToken } from "../auth";
import { LIMIT_SETTINGS, type RequestLimits } from "../limits";
import { originProblem, type OriginPolicy } from "./origin";

/**
 * The checks every HTTP request passes before Next.js sees it, cheapest first, each answered at
 * once with its own status and a message: a request target that is no URL or a path that is not
 * percent-encoding (400), a credential
 * that is not well-formed (400), a missing or wrong token (401), a state-changing request from a
 * foreign origin (403), a body that is not JSON on an API route (415), a body announced larger
 * than MAX_BODY_BYTES (413). Nothing here throws, so no request is left without an answer.
 */
export interface GateOptions {
  readonly accessToken: string | null;
  readonly origins: OriginPolicy;
  readonly limits: RequestLimits;
}

export type GateResult = { ok: true; url: URL } | { ok: false; status: number; message: string };

/** Methods that only read: no Origin check for them. */
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
/** Methods whose API requests carry a body, which must be JSON. */
const BODY_METHODS = new Set(["POST", "PUT", "PATCH"]);

export function checkRequest(req: IncomingMessage, opts: GateOptions): GateResult {
  let url: URL;
  try {
    url = new URL(req.url ?? "/", "http://localhost");
  } catch {
    return { ok: false, status: 400, message: `the request target ${JSON.stringify(String(req.url).slice(0, 200))} is not a valid path` };
  }
  try {
    // Next.js decodes route segments itself and answers 500 to one that is not percent-encoding.
    decodeURIComponent(url.pathname);
  } catch {
    return { ok: false, status: 400, message: `the path ${JSON.stringify(url.pathname.slice(0, 200))} holds malformed percent-encoding` };
  }
  let token: string | undefined;
  try {
    token = presentedToken(req, url);
  } catch (e) {
    if (e instanceof MalformedCredentialError) return { ok: false, status: 400, message: e.message };
    throw e;
  }
  if (!isAuthorized(opts.accessToken, token)) {
    return { ok: false, status: 401, message: "open DStream Studio with ?token=<access token>, as printed when the server started" };
  }
  const method = (req.method ?? "GET").toUpperCase();
  if (!SAFE_METHODS.has(method)) {
    const problem = originProblem(opts.origins, req.headers, req.socket.localPort ?? 0);
    if (problem) return { ok: false, status: 403, message: problem };
  }
  // The raw target too: `//api/x` parses as host "api", yet may still reach an API route.
  const rawPath = (req.url ?? "").split("?")[0].replace(/\/{2,}/g, "/");
  // Only a request that carries a body must say it is JSON: a body-less POST or DELETE (duplicate,
  // delete) has nothing to misread, and a foreign one is refused by the Origin check above.
  const hasBody = Number(req.headers["content-length"] ?? 0) > 0 || req.headers["transfer-encoding"] !== undefined;
  if ((url.pathname.startsWith("/api/") || rawPath.startsWith("/api/")) && BODY_METHODS.has(method) && hasBody) {
    const type = (req.headers["content-type"] ?? "").split(";")[0].trim().toLowerCase();
    if (type !== "application/json") {
      return {
        ok: false,
        status: 415,
        message: `the API takes JSON bodies only: send Content-Type: application/json (got ${type ? JSON.stringify(type) : "none"})`,
      };
    }
  }
  const declared = req.headers["content-length"];
  if (declared !== undefined && Number(declared) > opts.limits.maxBodyBytes) {
    return { ok: false, status: 413, message: bodyTooLarge(Number(declared), opts.limits.maxBodyBytes) };
  }
  return { ok: true, url };
}

export function bodyTooLarge(bytes: number | undefined, max: number): string {
  const size = bytes === undefined ? "more than that" : `${bytes.toLocaleString("en-US")} bytes`;
  return `the request body is larger than ${max.toLocaleString("en-US")} bytes (${size}); ${LIMIT_SETTINGS.maxBodyBytes.env} raises the limit`;
}

/** Answers a refused request: JSON `{ error }` on API routes (as the routes answer), text elsewhere. */
export function refuse(req: IncomingMessage, res: ServerResponse, status: number, message: string): void {
  const api = (req.url ?? "").startsWith("/api/");
  const body = api ? JSON.stringify({ error: message }) : `${status} ${message}\n`;
  // The body may not have been read: close the connection rather than read what may be huge.
  res.writeHead(status, { "content-type": api ? "application/json" : "text/plain; charset=utf-8", connection: "close" });
  res.end(body);
}
