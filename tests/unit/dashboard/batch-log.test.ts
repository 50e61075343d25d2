import { describe, expect, it } from "vitest";
import { BatchLog } from "@/server/runs/BatchLog";
import { batchEvents } from "./events";

describe("BatchLog", () => {
  it("folds a batch's lifecycle into one summary with per-stream counts and formatted samples", () => {
    const log = new BatchLog();
    for (const e of batchEvents(1000, { records: 3, sched: 4, proc: 20, streams: { "parse:out": [["a", 1], ["b", undefined]] } })) log.apply(e);
    const [b] = log.list();
    expect(b).toMatchObject({ batchTimeMs: 1000, status: "completed", numRecords: 3, schedulingDelayMs: 4, processingTimeMs: 20, totalDelayMs: 24 });
    expect(b.streamCounts).toEqual({ "parse:out": 2 });
    // Scala's toString, as print shows them: tuples in parentheses, an absent side as None.
    expect(b.samples).toEqual({ "parse:out": ["(a,1)", "(b,None)"] });
    expect(b.streamNames).toEqual({ "parse:out": "parseDStream" });
  });

  it("keeps a complete count over an earlier partial one, not the reverse", () => {
    const log = new BatchLog();
    const base = { type: "streamRecords", batchTimeMs: 1000, streamId: "m:out", streamName: "m" } as const;
    log.apply({ ...base, count: 2, complete: false, sample: [1, 2] });
    log.apply({ ...base, count: 9, complete: true, sample: [1, 2, 3] });
    log.apply({ ...base, count: 1, complete: false, sample: [1] });
    expect(log.list()[0].streamCounts["m:out"]).toBe(9);
    expect(log.list()[0].samples?.["m:out"]).toEqual(["1", "2", "3"]);
  });

  it("records the windows computed at a batch, one per windowed stream", () => {
    const log = new BatchLog();
    const w = {
      type: "window",
      batchTimeMs: 4000,
      streamId: "window:out",
      streamName: "WindowedDStream",
      windowStartMs: 1000,
      windowEndMs: 4000,
      windowDurationMs: 3000,
      slideDurationMs: 2000,
      coveredTimesMs: [2000, 3000, 4000],
    } as const;
    log.apply(w);
    log.apply(w); // the same stream computed twice in a batch stays one window
    expect(log.list()[0].windows).toEqual([
      { streamId: "window:out", streamName: "WindowedDStream", windowStartMs: 1000, windowEndMs: 4000, windowDurationMs: 3000, slideDurationMs: 2000, coveredTimesMs: [2000, 3000, 4000], enteredTimesMs: undefined, leftTimesMs: undefined },
    ]);
  });

  it("caps the batches it keeps and strips details from all but the newest, while totals count every batch", () => {
    const log = new BatchLog(5, 2);
    for (let i = 1; i <= 8; i++) for (const e of batchEvents(i * 1000, { records: i, failed: i === 3, streams: { "s:out": [i] } })) log.apply(e);
    const kept = log.list();
    expect(kept.map((b) => b.batchTimeMs)).toEqual([4000, 5000, 6000, 7000, 8000]);
    expect(kept.filter((b) => b.samples).map((b) => b.batchTimeMs)).toEqual([7000, 8000]);
    expect(kept.every((b) => b.streamCounts["s:out"] === 1)).toBe(true);
    expect(log.totals()).toEqual({ completedBatches: 8, failedBatches: 1, totalRecords: 36 });
  });

  it("records failed output operations as the batch's errors", () => {
    const log = new BatchLog();
    log.apply({ type: "outputOperationCompleted", batchTimeMs: 1000, outputOpId: 0, streamId: "print:out", name: "print", durationMs: 1, error: "boom", failedStreamId: "parse:out" });
    expect(log.list()[0].errors).toEqual(["parse:out: boom"]);
  });
});

describe("batch log restored after a restart", () => {
  it("starts from the stored summaries and totals, and records state and flag counts per batch", async () => {
    const { BatchLog } = await import("@/server/runs/BatchLog");
    const log = new BatchLog();
    const stored = [2000, 1000].map((t) => ({
      batchTimeMs: t, status: "completed" as const, inputSize: {}, numRecords: 2, streamCounts: {}, numOutputOps: 1, numFailedOutputOps: 0, errors: [],
    }));
    log.restore(stored, { completedBatches: 40, failedBatches: 1, totalRecords: 80 });
    expect(log.list().map((b) => b.batchTimeMs)).toEqual([1000, 2000]);
    expect(log.totals()).toEqual({ completedBatches: 40, failedBatches: 1, totalRecords: 80 });
    log.setState(3000, "sums:out", { added: 1, updated: 0, removed: 0, timedOut: 0, total: 1 });
    log.addFlags(3000, "flags", 2);
    log.addFlags(3000, "flags", 1);
    expect(log.list()[2]).toMatchObject({ state: { "sums:out": { added: 1, total: 1 } }, flags: { flags: 3 } });
  });
});
