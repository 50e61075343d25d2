import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { io as connect, type Socket } from "socket.io-client";
import { streamingBasicsTemplate } from "@/engine/pipeline/samples";
import type { Database } from "@/server/db/client";
import { RunHub } from "@/server/runs/RunHub";
import { registerServices } from "@/server/services";
import { startAppServer, type AppServer } from "./helpers/appServer";
import { rawRequest } from "./helpers/rawHttp";
import { until, useFreshDatabase } from "./helpers/runs";

// The server's surface as a hostile client meets it: malformed requests, cross-site requests,
// oversized and overdeep bodies, and client mistakes that used to answer 500. Spoken over real
// sockets to the server's own gate, listener, route handlers and socket.io setup.

const fresh = useFreshDatabase("dss-surface-");
let db: Database;
let hub: RunHub;
let open: AppServer;
let guarded: AppServer;
const TOKEN = "a-test-token-of-some-length";

beforeAll(async () => {
  db = fresh.db;
  hub = new RunHub({ db, checkpointRoot: fresh.dir, broadcaster: { frame: () => undefined, status: () => undefined, nodeError: () => undefined } });
  registerServices({ db, runs: hub, startedAt: new Date() });
  open = await startAppServer({ db, hub, allowedOrigins: ["https://studio.example.org"] });
  guarded = await startAppServer({ db, hub, accessToken: TOKEN });
});
afterAll(async () => {
  await open?.close();
  await guarded?.close();
  await hub?.stopAll();
});

const json = (body: unknown, headers: Record<string, string> = {}) => ({
  method: "POST",
  headers: { "content-type": "application/json", ...headers },
  body: JSON.stringify(body),
});
const doc = (name: string) => ({ ...structuredClone(streamingBasicsTemplate), name });
const pipelineCount = () => db.pipeline.count();

describe("malformed requests get an answer at once", () => {
  it("a request target that is no URL: 400", async () => {
    for (const target of ["//a:99999/x", "//[zz/x", "http://a:99999/"]) {
      const answer = await rawRequest(open.port, `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
      expect(answer.status, target).toBe(400);
      expect(answer.text).toContain("is not a valid path");
    }
    // Next.js would answer 500 to these (it decodes route segments itself).
    for (const target of ["/api/pipelines/%E0%A4%A", "/runs/%E0%A4%A", "/api/runs/%ZZ/errors"]) {
      const answer = await rawRequest(open.port, `PUT ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}`);
      expect(answer.status, target).toBe(400);
      expect(answer.text).toContain("malformed percent-encoding");
    }
  });

  it("a token cookie that is not percent-encoding: 400, with or without a token required", async () => {
    for (const server of [open, guarded]) {
      const answer = await rawRequest(server.port, `GET /api/pipelines HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: dss_token=%E0%A4%A\r\nConnection: close\r\n\r\n`);
      expect(answer.status).toBe(400);
      expect(answer.text).toContain("dss_token cookie is not valid percent-encoded text");
    }
  });

  it("a missing or wrong token: 401; the right one passes", async () => {
    const none = await rawRequest(guarded.port, `GET /api/pipelines HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
    expect(none.status).toBe(401);
    const wrong = await rawRequest(guarded.port, `GET /api/pipelines HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer nope\r\nConnection: close\r\n\r\n`);
    expect(wrong.status).toBe(401);
    const right = await rawRequest(guarded.port, `GET /api/pipelines HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${TOKEN}\r\nConnection: close\r\n\r\n`);
    expect(right.status).toBe(200);
  });

  it("garbage that is not HTTP: 400 from the parser, and the server stays up", async () => {
    const answer = await rawRequest(open.port, "\x00\x01 not http at all\r\n\r\n");
    expect(answer.status).toBe(400);
    expect((await fetch(`${open.base}/api/pipelines`)).status).toBe(200);
  });

  it("socket.io handshakes with a bad cookie, a foreign origin or a token that is no string are refused with a reason", async () => {
    const polling = (headers: string) => rawRequest(open.port, `GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: 127.0.0.1\r\n${headers}Connection: close\r\n\r\n`);
    const badCookie = await polling("Cookie: dss_token=%E0%A4%A\r\n");
    expect(badCookie.status).toBe(403);
    expect(badCookie.text).toContain("dss_token cookie is not valid percent-encoded text");
    const foreign = await polling("Origin: http://evil.example\r\n");
    expect(foreign.status).toBe(403);
    expect(foreign.text).toContain("http://evil.example");
    expect((await polling("")).status).toBe(200);

    const refusal = (server: AppServer, opts: Parameters<typeof connect>[1]) =>
      new Promise<string>((resolve, reject) => {
        const socket: Socket = connect(server.base, { transports: ["websocket"], reconnection: false, ...opts });
        socket.on("connect", () => {
          socket.close();
          reject(new Error("the socket was accepted"));
        });
        socket.on("connect_error", (err) => {
          socket.close();
          resolve(err.message);
        });
      });
    expect(await refusal(guarded, { auth: { token: 12345 } })).toContain("auth.token must be a string");
    expect(await refusal(open, { auth: { token: 12345 } })).toContain("auth.token must be a string");
    expect(await refusal(guarded, { auth: { token: "wrong" } })).toContain("unauthorized");
    expect(await refusal(open, { extraHeaders: { origin: "http://evil.example" } })).toMatch(/websocket error|evil\.example/);
    expect(await refusal(open, { extraHeaders: { cookie: "dss_token=%E0%A4%A" } })).toMatch(/websocket error|dss_token/);
  });
});

describe("Origin checks", () => {
  it("refuse a state-changing request from another site (403, with why) and store nothing", async () => {
    const before = await pipelineCount();
    const textPlain = await fetch(`${open.base}/api/pipelines`, {
      method: "POST",
      headers: { origin: "http://evil.example", "content-type": "text/plain" },
      body: JSON.stringify({ template: "transactions", start: true }),
    });
    expect(textPlain.status).toBe(403);
    expect(((await textPlain.json()) as { error: string }).error).toContain("ALLOWED_ORIGINS");
    expect((await fetch(`${open.base}/api/pipelines`, json(doc("x"), { origin: "http://evil.example" }))).status).toBe(403);
    expect((await fetch(`${open.base}/api/pipelines`, json(doc("x"), { referer: "http://evil.example/page" }))).status).toBe(403);
    expect((await fetch(`${open.base}/api/pipelines`, json(doc("x"), { origin: "null" }))).status).toBe(403);
    expect((await fetch(`${open.base}/api/pipelines/any-id`, { method: "DELETE", headers: { origin: "http://evil.example" } })).status).toBe(403);
    expect(await pipelineCount()).toBe(before);
    expect(hub.list()).toHaveLength(0);
  });

  it("let through the server's own origin, an ALLOWED_ORIGINS one, and loopback clients that send neither header", async () => {
    for (const origin of [`http://127.0.0.1:${open.port}`, `http://localhost:${open.port}`, "https://studio.example.org"]) {
      expect((await fetch(`${open.base}/api/pipelines`, json(doc(origin), { origin }))).status, origin).toBe(201);
    }
    expect((await fetch(`${open.base}/api/pipelines`, json(doc("referer"), { referer: `http://127.0.0.1:${open.port}/pipelines/new` }))).status).toBe(201);
    expect((await fetch(`${open.base}/api/pipelines`, json(doc("curl")))).status).toBe(201);
    // Reading is not refused: a page elsewhere cannot read the answer anyway (no CORS headers).
    expect((await fetch(`${open.base}/api/pipelines`, { headers: { origin: "http://evil.example" } })).status).toBe(200);
  });

  it("API bodies must be JSON (415), even from a client without Origin", async () => {
    const res = await fetch(`${open.base}/api/pipelines/validate`, { method: "POST", headers: { "content-type": "text/plain" }, body: JSON.stringify(doc("t")) });
    expect(res.status).toBe(415);
    expect(((await res.json()) as { error: string }).error).toContain("application/json");
    const form = await fetch(`${open.base}/api/tables/t1`, { method: "PUT", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "rows=1" });
    expect(form.status).toBe(415);
    const doubled = await rawRequest(open.port, `POST //api/pipelines HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}`);
    expect(doubled.status).toBe(415);
    // a request without a body has nothing to misread: it reaches its route
    expect((await fetch(`${open.base}/api/pipelines/nope/duplicate`, { method: "POST" })).status).toBe(404);
  });
});

describe("limits", () => {
  it("a body over MAX_BODY_BYTES: 413 naming the setting, announced or streamed", async () => {
    const big = JSON.stringify({ ...doc("big"), description: "x".repeat(3 * 1024 * 1024) });
    const announced = await fetch(`${open.base}/api/pipelines`, { method: "POST", headers: { "content-type": "application/json" }, body: big });
    expect(announced.status).toBe(413);
    expect(((await announced.json()) as { error: string }).error).toContain("MAX_BODY_BYTES");
    // Chunked: no Content-Length to refuse up front, so the route counts as it reads.
    const chunked = await fetch(`${open.base}/api/pipelines`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: new Blob([big]).stream(),
      duplex: "half",
    } as RequestInit);
    expect(chunked.status).toBe(413);
    expect(((await chunked.json()) as { error: string }).error).toContain("MAX_BODY_BYTES");
  });

  it("a document nested deeper than MAX_DOCUMENT_DEPTH fails validation, creation and update alike (400)", async () => {
    // Written as text: JSON.stringify itself cannot nest this deep.
    const body = JSON.stringify(doc("deep")).replace('"config":{', `"config":{"nested":${'{"a":'.repeat(10_000)}1${"}".repeat(10_000)},`);
    const created = await fetch(`${open.base}/api/pipelines`, json(doc("target")));
    const { id } = (await created.json()) as { id: string };
    for (const [url, method] of [["/api/pipelines/validate", "POST"], ["/api/pipelines", "POST"], [`/api/pipelines/${id}`, "PUT"]]) {
      const res = await fetch(`${open.base}${url}`, { method, headers: { "content-type": "application/json" }, body });
      expect(res.status, url).toBe(400);
      expect(((await res.json()) as { error: string }).error).toContain("MAX_DOCUMENT_DEPTH");
    }
  });

  it("what validates can be saved: a document just under the depth limit validates, is created and updated", async () => {
    let deep: unknown = 1;
    for (let i = 0; i < 58; i++) deep = [deep];
    const body = doc("just under");
    body.nodes[0] = { ...body.nodes[0], config: { ...body.nodes[0].config, nested: deep } };
    expect((await fetch(`${open.base}/api/pipelines/validate`, json(body))).status).toBe(200);
    const created = await fetch(`${open.base}/api/pipelines`, json(body));
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    expect((await fetch(`${open.base}/api/pipelines/${id}`, { ...json(body), method: "PUT" })).status).toBe(200);
    expect((await fetch(`${open.base}/api/pipelines/${id}`)).status).toBe(200);
  });

  it("too many records inline in a queue node, or too many nodes: 400 naming the limit and its setting", async () => {
    const queue = doc("queue");
    const q = queue.nodes.find((n) => n.kind === "queue")!;
    q.config = { ...q.config, batches: [Array.from({ length: 20_000 }, (_, i) => i)] };
    const res = await fetch(`${open.base}/api/pipelines/validate`, json(queue));
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toContain("MAX_QUEUE_RECORDS");
    const many = doc("many");
    many.nodes = Array.from({ length: 501 }, (_, i) => ({ id: `n${i}`, kind: "print", position: { x: 0, y: 0 }, config: {} }));
    many.edges = [];
    const tooMany = await fetch(`${open.base}/api/pipelines`, json(many));
    expect(tooMany.status).toBe(400);
    expect(((await tooMany.json()) as { error: string }).error).toContain("MAX_PIPELINE_NODES");
  });
});

describe("client mistakes answer 4xx", () => {
  it("pausing a stopped run: 409; paging errors before=1e300: 400; versions of an unknown pipeline: 404", async () => {
    const created = await fetch(`${open.base}/api/pipelines`, json({ template: "streamingBasics", start: true }));
    expect(created.status).toBe(201);
    const { id, runId } = (await created.json()) as { id: string; runId: string };
    expect((await fetch(`${open.base}/api/pipelines/${id}/run`, json({ action: "stop", runId }))).status).toBe(200);
    await until("the run to end", () => hub.snapshot(runId)?.ended);
    for (const action of ["pause", "resume", "step"]) {
      const res = await fetch(`${open.base}/api/pipelines/${id}/run`, json({ action, runId }));
      expect(res.status, action).toBe(409);
      expect(((await res.json()) as { error: string }).error).toContain("has stopped");
    }
    expect((await fetch(`${open.base}/api/runs/${runId}/errors?before=1e300`)).status).toBe(400);
    expect((await fetch(`${open.base}/api/runs/${runId}/errors?limit=1e300`)).status).toBe(400);
    expect((await fetch(`${open.base}/api/pipelines/no-such-pipeline/versions`)).status).toBe(404);
    expect((await fetch(`${open.base}/api/pipelines/${id}/versions`)).status).toBe(200);
    expect((await fetch(`${open.base}/api/runs/${runId}/recovery`, json({ choice: "fresh" }))).status).toBe(409);
  });
});
