import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import * as pipelines from "@/app/api/pipelines/route";
import * as pipeline from "@/app/api/pipelines/[id]/route";
import * as run from "@/app/api/pipelines/[id]/run/route";
import * as versions from "@/app/api/pipelines/[id]/versions/route";
import * as validate from "@/app/api/pipelines/validate/route";
import * as errors from "@/app/api/runs/[runId]/errors/route";
import * as recovery from "@/app/api/runs/[runId]/recovery/route";
import * as tables from "@/app/api/tables/[name]/route";
import type { Database } from "@/server/db/client";
import type { GateOptions } from "@/server/http/gate";
import { gatedListener } from "@/server/http/listener";
import { loadLimits } from "@/server/limits";
import type { RunHub } from "@/server/runs/RunHub";
import { attachSocketServer, serveRunRooms, type StudioSocketServer } from "@/server/socket/attach";

/**
 * The app's HTTP surface without Next.js: the server's own gate and listener (server/http), the
 * real route handlers behind a router that calls them as Next.js does, and socket.io attached as
 * in server/index.ts. Lets the tests speak raw HTTP to the very code the server runs.
 */
type Handler = (request: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;
type Module = Partial<Record<"GET" | "POST" | "PUT" | "DELETE", Handler>>;

// Each module is cast once: the router hands every handler the params its own pattern names.
const routes: [RegExp, string[], Module][] = [
  [/^\/api\/pipelines$/, [], pipelines as unknown as Module],
  [/^\/api\/pipelines\/validate$/, [], validate as unknown as Module],
  [/^\/api\/pipelines\/([^/]+)$/, ["id"], pipeline as unknown as Module],
  [/^\/api\/pipelines\/([^/]+)\/run$/, ["id"], run as unknown as Module],
  [/^\/api\/pipelines\/([^/]+)\/versions$/, ["id"], versions as unknown as Module],
  [/^\/api\/runs\/([^/]+)\/errors$/, ["runId"], errors as unknown as Module],
  [/^\/api\/runs\/([^/]+)\/recovery$/, ["runId"], recovery as unknown as Module],
  [/^\/api\/tables\/([^/]+)$/, ["name"], tables as unknown as Module],
];

async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", "http://localhost");
  for (const [pattern, names, mod] of routes) {
    const m = pattern.exec(url.pathname);
    if (!m) continue;
    const handler = mod[(req.method ?? "GET") as keyof Module];
    if (!handler) {
      res.writeHead(405, { "content-type": "application/json" }).end(JSON.stringify({ error: "method not allowed" }));
      return;
    }
    let params: Record<string, string>;
    try {
      params = Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(m[i + 1])]));
    } catch {
      res.writeHead(400, { "content-type": "application/json" }).end(JSON.stringify({ error: "the path cannot be decoded" })); // as Next.js refuses it
      return;
    }
    const hasBody = req.method !== "GET" && req.method !== "HEAD";
    const request = new Request(new URL(url.pathname + url.search, `http://${req.headers.host ?? "localhost"}`), {
      method: req.method,
      headers: Object.entries(req.headers).flatMap(([k, v]) => (v === undefined ? [] : [[k, Array.isArray(v) ? v.join(", ") : v]])) as [string, string][],
      body: hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : undefined,
      duplex: "half",
    } as RequestInit);
    const response = await handler(request, { params: Promise.resolve(params) });
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
    return;
  }
  res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: "not found" }));
}

export interface AppServer {
  readonly base: string;
  readonly port: number;
  readonly io: StudioSocketServer;
  close(): Promise<void>;
}

export async function startAppServer(opts: { db: Database; hub: RunHub; accessToken?: string | null; allowedOrigins?: string[]; env?: Record<string, string> }): Promise<AppServer> {
  const gate: GateOptions = {
    accessToken: opts.accessToken ?? null,
    origins: { host: "127.0.0.1", allowedOrigins: opts.allowedOrigins ?? [], tokenRequired: Boolean(opts.accessToken) },
    limits: loadLimits(opts.env ?? {}),
  };
  const server = http.createServer(gatedListener(gate, route));
  const io = attachSocketServer(server, { accessToken: gate.accessToken, origins: gate.origins, version: "test", startedAt: new Date() });
  serveRunRooms(io, opts.hub);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    base: `http://127.0.0.1:${port}`,
    port,
    io,
    close: async () => {
      await io.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
