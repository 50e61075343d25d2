import { describe, expect, it } from "vitest";
import { compilePipeline } from "@/engine/pipeline/compile";
import { Milliseconds } from "@/engine/streaming/Duration";
import { ManualClock } from "@/engine/streaming/ManualClock";
import type { Database } from "@/server/db/client";
import { InputRecorder, type RecordedBatchMessage } from "@/server/runs/replay/InputRecorder";
import { loadReplayLimits } from "@/server/runs/replay/limits";
import { ReplayService } from "@/server/runs/replay/ReplayService";
import { doc } from "../pipeline/harness";

/** Runs queue → print with the recorder tapping the queue, as the run process does; returns what it sent. */
async function record(batches: unknown[][], caps: { maxBatches: number; maxBytes: number }) {
  const sent: RecordedBatchMessage[] = [];
  const ended: string[] = [];
  const recorder = new InputRecorder(caps, (b) => sent.push(b), (r) => ended.push(r));
  const clock = new ManualClock(0);
  const { ssc, streams } = compilePipeline(doc([["src", "queue", { batches }], ["p", "print"]], [["src", "p"]]), { clock, sinks: { print: () => undefined } });
  recorder.tap("src", streams.get("src:out")!);
  ssc.addStreamingListener((e) => e.type === "batchCompleted" && recorder.batchCompleted(e.batchTimeMs));
  ssc.start();
  for (let i = 0; i < batches.length + 1; i++) {
    clock.advance(Milliseconds(1000));
    await ssc.awaitBatchesDue();
  }
  await ssc.stop();
  return { sent, ended };
}

describe("InputRecorder (the run process's side)", () => {
  it("sends each completed batch's source records, in order, while within the caps", async () => {
    const { sent, ended } = await record([["a", "b"], ["c"]], { maxBatches: 10, maxBytes: 1000 });
    expect(sent).toEqual([
      { batchTimeMs: 1000, payload: '{"src":["a","b"]}' },
      { batchTimeMs: 2000, payload: '{"src":["c"]}' },
      { batchTimeMs: 3000, payload: '{"src":[]}' },
    ]);
    expect(ended).toEqual([]);
  });

  it("ends for good at the first batch past the batch cap", async () => {
    const { sent, ended } = await record([["a"], ["b"], ["c"]], { maxBatches: 2, maxBytes: 1000 });
    expect(sent.map((b) => b.batchTimeMs)).toEqual([1000, 2000]);
    expect(ended).toEqual(["the recording holds the run's first 2 batches (RECORD_MAX_BATCHES=2)"]);
  });

  it("ends at the first batch that would pass the byte cap, keeping the batches before it only", async () => {
    const { sent, ended } = await record([["x".repeat(10)], ["y".repeat(30)], ["z"]], { maxBatches: 10, maxBytes: 40 });
    expect(sent.map((b) => b.batchTimeMs)).toEqual([1000]);
    expect(ended[0]).toMatch(/batch 2000 ms would pass RECORD_MAX_BYTES=40/);
  });
});

describe("ReplayService.record (the server's side: the run process is not trusted)", () => {
  /** A database that keeps what is upserted (only the call the recording makes). */
  function fakeDb() {
    const rows: { runId: string; batchTimeMs: number; bytes: number }[] = [];
    const db = {
      recordedBatch: {
        upsert: async ({ create }: { create: { runId: string; batchTimeMs: number; bytes: number } }) => void rows.push(create),
      },
    };
    // Only recordedBatch.upsert is reached by record(); the rest of the client is not needed here.
    return { rows, db: db as unknown as Database };
  }

  it("refuses batches past the caps whatever the process sends, and malformed ones", async () => {
    const { rows, db } = fakeDb();
    const service = new ReplayService({ db, root: "/", maxHeapMb: 64, limits: { maxBatches: 2, maxBytes: 20, timeLimitMs: 1000 } });
    service.record("r", 1000, '{"s":[1]}');
    service.record("r", 2000, '{"s":[1,2,3,4,5,6]}'); // 19 bytes: past 20 together
    service.record("r", 3000, '{"s":[]}');
    service.record("q", "soon", 42);
    service.record("q", 1000, '{"s":[]}');
    await service.flush();
    expect(rows.map((r) => [r.runId, r.batchTimeMs, r.bytes])).toEqual([["r", 1000, 9]]);
  });

  it("names each setting when it is not a whole number", () => {
    expect(() => loadReplayLimits({ RECORD_MAX_BYTES: "lots" })).toThrow(/RECORD_MAX_BYTES must be a whole number of 1 or more; got "lots"/);
    expect(loadReplayLimits({ RECORD_MAX_BATCHES: "0" }).maxBatches).toBe(0);
    expect(loadReplayLimits({})).toEqual({ maxBatches: 100, maxBytes: 16 * 1024 * 1024, timeLimitMs: 60_000 });
  });
});
