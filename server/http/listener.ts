import type { IncomingMessage, ServerResponse } from "node:http";
import { TOKEN_COOKIE } from "../auth";
import { checkRequest, refuse, type GateOptions } from "./gate";

/**
 * The server's request listener: the gate's checks, the token-for-cookie trade, then `handle`
 * (Next.js). Whatever `handle` throws or rejects is answered, so that no request hangs.
 */
export function gatedListener(
  gate: GateOptions,
  handle: (req: IncomingMessage, res: ServerResponse) => Promise<unknown>,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const checked = checkRequest(req, gate);
    if (!checked.ok) {
      refuse(req, res, checked.status, checked.message);
      return;
    }
    const { url } = checked;
    if (gate.accessToken && url.searchParams.has("token")) {
      // Trade the token in the address for a cookie, so that it leaves the URL bar and history.
      url.searchParams.delete("token");
      res.writeHead(302, {
        location: url.pathname + url.search,
        "set-cookie": `${TOKEN_COOKIE}=${encodeURIComponent(gate.accessToken)}; Path=/; HttpOnly; SameSite=Strict`,
      });
      res.end();
      return;
    }
    let pending: Promise<unknown>;
    try {
      pending = handle(req, res);
    } catch (err) {
      pending = Promise.reject(err);
    }
    pending.catch((err: Error) => {
      console.error(`${req.method} ${req.url}: ${err?.message ?? String(err)}`);
      if (!res.headersSent) refuse(req, res, 500, "internal error");
      else res.destroy();
    });
  };
}
