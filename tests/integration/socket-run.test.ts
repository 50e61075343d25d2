import http from "node:http";
import type { AddressInfo } from "node:net";
import { io as connect } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { RunFeed, type StudioClientSocket } from "@/components/dashboard/live/RunFeed";
import type { PipelineDocument } from "@/engine/pipeline/document";
import { windowTimelines } from "@/server/runs/aggregate/windows";
import type { Database } from "@/server/db/client";
import { RunHub } from "@/server/runs/RunHub";
import { attachSocketServer, serveRunRooms, socketBroadcaster, type StudioSocketServer } from "@/server/socket/attach";

// The hub records each run's fate and its records in the database; these tests need only these calls.
const writes = { createMany: async () => ({ count: 0 }), upsert: async () => ({}), findMany: async () => [], deleteMany: async () => ({ count: 0 }) };
const fakeDb = {
  run: {
    create: async () => ({ id: "run-1", startedAt: new Date("2025-01-01T00:00:00Z") }),
    update: async () => ({}),
  },
  deadLetter: writes,
  nodeError: writes,
  flag: writes,
  batchMetric: writes,
} as unknown as Database; // a structural stand-in for the Prisma client, which the hub uses only here

const document = {
  schemaVersion: 2,
  name: "Scripted run",
  description: "",
  settings: { batchIntervalMs: 1000, checkpointing: { enabled: false }, concurrentJobs: 1 },
  nodes: [{ id: "script", kind: "script", position: { x: 0, y: 0 }, config: { burst: 100 } }],
  edges: [],
} satisfies PipelineDocument;

let server: http.Server;
let io: StudioSocketServer;
let hub: RunHub;
let url: string;
let runId: string;
const sockets: StudioClientSocket[] = [];
const feeds: RunFeed[] = [];

function watch(): { socket: StudioClientSocket; feed: RunFeed; frames: () => number } {
  const socket: StudioClientSocket = connect(url, { path: "/socket.io", transports: ["websocket"], reconnectionDelay: 50 });
  let frames = 0;
  socket.on("run:frame", () => frames++);
  const feed = new RunFeed(socket, runId, { onChange: () => {} });
  feed.start();
  sockets.push(socket);
  feeds.push(feed);
  return { socket, feed, frames: () => frames };
}

const completed = (feed: RunFeed): number => feed.view?.batches.filter((b) => b.status === "completed").length ?? 0;
const hubBatches = (): number => hub.snapshot(runId)?.batches.length ?? 0;

beforeAll(async () => {
  server = http.createServer();
  io = attachSocketServer(server, { accessToken: null, origins: { host: "127.0.0.1", allowedOrigins: [], tokenRequired: false }, version: "test", startedAt: new Date() });
  hub = new RunHub({
    db: fakeDb,
    broadcaster: socketBroadcaster(io),
    workerUrl: new URL("./fixtures/scripted-run-worker.mjs", import.meta.url),
    frameIntervalMs: 250,
  });
  serveRunRooms(io, hub);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  runId = await hub.start(document, null);
  await vi.waitFor(() => expect(hub.snapshot(runId)?.status).toBe("running"));
});

afterAll(async () => {
  for (const f of feeds) f.stop();
  for (const s of sockets) s.close();
  await hub.stopAll();
  await new Promise<void>((resolve) => io.close(() => resolve()));
});

describe("a run's socket.io room", () => {
  let a: ReturnType<typeof watch>;
  let b: ReturnType<typeof watch>;

  it("gives a late joiner the recent history in the join reply", async () => {
    for (let i = 0; i < 3; i++) hub.step(runId);
    await vi.waitFor(() => expect(hubBatches()).toBe(3));
    a = watch();
    await vi.waitFor(() => expect(a.feed.view).toBeDefined());
    const view = a.feed.view!;
    expect(view.batches.map((x) => [x.batchTimeMs, x.status])).toEqual([
      [1000, "completed"],
      [2000, "completed"],
      [3000, "completed"],
    ]);
    expect(view.batchIntervalMs).toBe(1000);
    expect(view.printed.map((p) => p.batchTimeMs)).toEqual([1000, 2000, 3000]);
    // Records on the wire, with their samples formatted as print shows them.
    expect(view.batches[2].streamCounts["source:out"]).toBe(3);
    expect(view.batches[2].samples?.["source:out"]).toEqual(["(acct-0,3000)", "(acct-1,3001)", "(acct-2,3002)"]);
  });

  it("sends live frames to every browser watching the run", async () => {
    b = watch();
    await vi.waitFor(() => expect(b.feed.view).toBeDefined());
    hub.step(runId);
    hub.step(runId);
    for (const w of [a, b]) await vi.waitFor(() => expect(completed(w.feed)).toBe(5));
    expect(a.frames()).toBeGreaterThan(0);
    expect(b.frames()).toBeGreaterThan(0);
    const [timeline] = windowTimelines(b.feed.view!.batches, 1000);
    expect(timeline.windows.map((w) => w.windowEndMs)).toEqual([2000, 4000]);
  });

  it("rate-limits frames: a burst of 100 batches arrives in a few frames, none of its batches lost", async () => {
    const before = [a.frames(), b.frames()];
    hub.resume(runId);
    for (const w of [a, b]) await vi.waitFor(() => expect(completed(w.feed)).toBe(105));
    const during = [a.frames() - before[0], b.frames() - before[1]];
    for (const n of during) {
      expect(n).toBeGreaterThanOrEqual(1);
      expect(n).toBeLessThanOrEqual(4);
    }
    expect(a.feed.view!.totals.completedBatches).toBe(105);
  });

  it("brings a reconnecting browser up to date, errors included, and keeps the other one live", async () => {
    const joins = b.feed.joins;
    b.socket.disconnect();
    hub.step(runId);
    hub.step(runId);
    hub.pause(runId);
    await vi.waitFor(() => expect(completed(a.feed)).toBe(107));
    await vi.waitFor(() => expect(a.feed.view?.status).toBe("paused"));
    expect(completed(b.feed)).toBe(105);
    b.socket.connect();
    await vi.waitFor(() => expect(b.feed.joins).toBe(joins + 1));
    await vi.waitFor(() => expect(completed(b.feed)).toBe(107));
    expect(b.feed.view).toMatchObject({ status: "paused" });
    expect(b.feed.view!.nodeErrors).toEqual([expect.objectContaining({ nodeId: "parse", message: "cannot parse amount" })]);
    expect(a.feed.view!.nodeErrors).toHaveLength(1);
  });

  it("tells a browser asking for an unknown run why it cannot follow it", async () => {
    const socket: StudioClientSocket = connect(url, { path: "/socket.io", transports: ["websocket"] });
    sockets.push(socket);
    const feed = new RunFeed(socket, "no-such-run", { onChange: () => {} });
    feeds.push(feed);
    feed.start();
    await vi.waitFor(() => expect(feed.error).toMatch(/no run with id "no-such-run"/));
    expect(feed.view).toBeUndefined();
  });
});
