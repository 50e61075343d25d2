import { describe, expect, it } from "vitest";
import { RunFeed, type StudioClientSocket } from "@/components/dashboard/live/RunFeed";
import type { BatchSummary, RunSnapshot } from "@/server/runs/types";
import type { RunFrame } from "@/server/socket/protocol";
import { fakeTimers } from "./fakeTimers";

const batch = (t: number): BatchSummary => ({
  batchTimeMs: t,
  status: "completed",
  inputSize: {},
  numRecords: 1,
  streamCounts: {},
  numOutputOps: 1,
  numFailedOutputOps: 0,
  errors: [],
});

/** A socket stand-in: the test plays the server, answering joins with the snapshot it holds. */
class FakeSocket {
  connected = true;
  joins: string[] = [];
  snapshot: RunSnapshot = {
    runId: "r1",
    pipelineId: null,
    name: "Run",
    status: "running",
    startedAt: "2025-01-01T00:00:00.000Z",
    batchIntervalMs: 1000,
    batches: [batch(1000)],
    printed: [],
    nodeErrors: [],
    frameSeq: 1,
  };
  private handlers = new Map<string, ((...args: unknown[]) => void)[]>();
  on(event: string, fn: (...args: unknown[]) => void) {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), fn]);
    return this;
  }
  off(event: string, fn: (...args: unknown[]) => void) {
    this.handlers.set(event, (this.handlers.get(event) ?? []).filter((h) => h !== fn));
    return this;
  }
  emit(event: string, ...args: unknown[]) {
    if (event === "run:join") {
      this.joins.push(args[0] as string);
      (args[1] as (r: unknown) => void)({ ok: true, snapshot: structuredClone(this.snapshot) });
    }
    return this;
  }
  serverSends(event: string, payload: unknown) {
    for (const h of this.handlers.get(event) ?? []) h(payload);
  }
}

function setup() {
  const socket = new FakeSocket();
  const { timers, advance } = fakeTimers();
  let changes = 0;
  // The fake covers every socket call RunFeed makes.
  const feed = new RunFeed(socket as unknown as StudioClientSocket, "r1", { onChange: () => changes++, resyncMinIntervalMs: 3000, timers });
  feed.start();
  return { socket, feed, advance, changes: () => changes };
}

const frame = (seq: number, ...times: number[]): RunFrame => ({ runId: "r1", batches: times.map(batch), printed: [], seq });

describe("RunFeed", () => {
  it("joins at once when connected and again on every reconnect", () => {
    const { socket, feed } = setup();
    expect(socket.joins).toEqual(["r1"]);
    expect(feed.view?.batches).toHaveLength(1);
    socket.serverSends("disconnect", "transport close");
    socket.serverSends("connect", undefined);
    expect(socket.joins).toEqual(["r1", "r1"]);
  });

  it("asks for the snapshot again after a missed frame, at most once per interval, never forgetting one", () => {
    const { socket, feed, advance } = setup();
    advance(5000);
    socket.serverSends("run:frame", frame(2, 2000));
    expect(socket.joins).toHaveLength(1);
    // Frame 3 was dropped on the way (volatile); the server's snapshot has everything.
    socket.snapshot = { ...socket.snapshot, batches: [1000, 2000, 3000, 4000].map(batch), frameSeq: 4 };
    socket.serverSends("run:frame", frame(4, 4000));
    expect(socket.joins).toHaveLength(2);
    expect(feed.view?.batches.map((b) => b.batchTimeMs)).toEqual([1000, 2000, 3000, 4000]);
    // Another gap right away: the next snapshot waits for the interval, then comes by itself.
    socket.serverSends("run:frame", frame(6, 6000));
    socket.serverSends("run:frame", frame(8, 8000));
    expect(socket.joins).toHaveLength(2);
    advance(3000);
    expect(socket.joins).toHaveLength(3);
  });

  it("ignores frames of other runs and stops listening when stopped", () => {
    const { socket, feed, changes } = setup();
    const before = changes();
    socket.serverSends("run:frame", { ...frame(2, 2000), runId: "other" });
    expect(changes()).toBe(before);
    feed.stop();
    socket.serverSends("run:frame", frame(2, 2000));
    expect(feed.view?.batches).toHaveLength(1);
  });
});
