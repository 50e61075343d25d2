import { describe, expect, it } from "vitest";
import { BatchLog } from "@/server/runs/BatchLog";
import { batchStatistics, inputRate, niceCeil } from "@/server/runs/aggregate/statistics";
import { batchEvents } from "./events";

function log(batches: { records: number; sched: number; proc: number }[]) {
  const l = new BatchLog();
  batches.forEach((b, i) => batchEvents((i + 1) * 1000, b).forEach((e) => l.apply(e)));
  return l;
}

describe("batch statistics", () => {
  it("computes the input rate as records over the batch interval in seconds", () => {
    expect(inputRate(30, 1000)).toBe(30);
    expect(inputRate(30, 5000)).toBe(6);
    expect(() => inputRate(1, 0)).toThrow(/positive/);
  });

  it("averages the four metrics over completed batches only", () => {
    const l = log([
      { records: 10, sched: 0, proc: 100 },
      { records: 30, sched: 4, proc: 300 },
    ]);
    l.apply({ type: "batchSubmitted", batchTimeMs: 3000, submissionTimeMs: 3000, inputSize: { "source:out": 99 }, inputInfo: [], numOutputOps: 1 });
    const s = batchStatistics(l.list(), 2000);
    expect(s.completedBatches).toBe(2);
    expect(s.activeBatches).toBe(1);
    expect(s.metrics.inputRate.avg).toBe(10); // (5 + 15) / 2 records/s at 2 s batches
    expect(s.metrics.schedulingDelayMs.avg).toBe(2);
    expect(s.metrics.processingTimeMs).toMatchObject({ avg: 200, min: 100, max: 300 });
    expect(s.metrics.totalDelayMs.max).toBe(304);
    expect(s.metrics.processingTimeMs.timeline).toEqual([
      { batchTimeMs: 1000, value: 100 },
      { batchTimeMs: 2000, value: 300 },
    ]);
  });

  it("shares one delay axis scaled to the delays, reaching the batch interval when a delay nears it", () => {
    const small = batchStatistics(log([{ records: 1, sched: 1, proc: 5 }]).list(), 1000);
    // Delays of a few ms get an axis of their own size, not one flattened under the 1 s interval.
    expect(small.delayAxisMaxMs).toBeLessThan(20);
    expect(small.delayAxisMaxMs).toBeGreaterThanOrEqual(small.metrics.totalDelayMs.max!);
    expect(small.intervalInRange).toBe(false);
    const near = batchStatistics(log([{ records: 1, sched: 10, proc: 600 }]).list(), 1000);
    expect(near.delayAxisMaxMs).toBe(1000);
    expect(near.intervalInRange).toBe(true);
    const slow = batchStatistics(log([{ records: 1, sched: 700, proc: 1200 }]).list(), 1000);
    expect(slow.delayAxisMaxMs).toBe(2000);
    expect(slow.intervalInRange).toBe(true);
    // Histogram bins span the same axis as the timeline.
    expect(slow.metrics.schedulingDelayMs.histogram.at(-1)?.to).toBe(2000);
  });

  it("downsamples each timeline to the point limit", () => {
    const l = new BatchLog(5000);
    for (let i = 1; i <= 3000; i++) batchEvents(i * 1000, { records: i % 7, proc: i === 1234 ? 5000 : 10 }).forEach((e) => l.apply(e));
    const s = batchStatistics(l.list(), 1000, { maxPoints: 1000 });
    expect(s.metrics.processingTimeMs.timeline.length).toBeLessThanOrEqual(1000);
    expect(s.metrics.processingTimeMs.timeline.some((p) => p.value === 5000)).toBe(true);
    expect(s.metrics.processingTimeMs.histogram.reduce((a, b) => a + b.count, 0)).toBe(3000);
  });

  it("rounds axis maxima up to 1, 2, 2.5 or 5 times a power of ten", () => {
    expect([niceCeil(0.3), niceCeil(7), niceCeil(1001), niceCeil(2400), niceCeil(0, 1000)]).toEqual([1, 10, 2000, 2500, 1000]);
  });
});
