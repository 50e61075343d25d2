import { afterEach, describe, expect, test } from "vitest";
import { Seconds, StreamingContext, type StreamingEvent } from "../../../engine/index";
import { manualContext, runBatches } from "./helpers";

const open: StreamingContext[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.stop();
});
type Of<T extends StreamingEvent["type"]> = Extract<StreamingEvent, { type: T }>;
const ofType = <T extends StreamingEvent["type"]>(events: StreamingEvent[], type: T) => events.filter((e): e is Of<T> => e.type === type);

describe("events", () => {
  test("a batch posts submitted, started, output started/completed and completed, in order", async () => {
    const { ssc, clock, events, listen } = manualContext();
    open.push(ssc);
    listen();
    const s = ssc.queueStream([ssc.sc.makeRDD([1, 2, 3])]);
    s.foreachRDD(() => {});
    s.count().foreachRDD(() => {});
    ssc.start();
    await runBatches(ssc, clock, 1);
    const batch = events.filter((e) => "batchTimeMs" in e && e.batchTimeMs === 1000 && e.type !== "streamRecords").map((e) => e.type);
    expect(batch).toEqual([
      "batchSubmitted",
      "batchStarted",
      "outputOperationStarted",
      "outputOperationCompleted",
      "outputOperationStarted",
      "outputOperationCompleted",
      "batchCompleted",
    ]);
    const completed = ofType(events, "batchCompleted")[0];
    expect(completed).toMatchObject({ inputSize: { [s.id]: 3 }, numRecords: 3, numOutputOps: 2, numFailedOutputOps: 0 });
    expect(completed.totalDelayMs).toBe(completed.schedulingDelayMs + completed.processingTimeMs);
    expect(events[0]).toMatchObject({ type: "streamingStarted", zeroTimeMs: 0, batchDurationMs: 1000 });
  });

  test("streamRecords: per-stream counts per batch and samples capped at sampleSize", async () => {
    const { ssc, clock, events, listen } = manualContext({ sampleSize: 5 });
    open.push(ssc);
    listen();
    const s = ssc.queueStream([ssc.sc.makeRDD(Array.from({ length: 30 }, (_, i) => i))]);
    const evens = s.filter((x) => x % 2 === 0);
    evens.foreachRDD((rdd) => void rdd.collect());
    ssc.start();
    await runBatches(ssc, clock, 1);
    const records = ofType(events, "streamRecords");
    expect(records.find((e) => e.streamId === s.id)).toMatchObject({ count: 30, complete: true, sample: [0, 1, 2, 3, 4] });
    expect(records.find((e) => e.streamId === evens.id)).toMatchObject({ count: 15, sample: [0, 2, 4, 6, 8] });
  });

  test("window events give bounds and covered times; the inverse form also what entered and left", async () => {
    const { ssc, clock, events, listen } = manualContext();
    open.push(ssc);
    ssc.checkpoint("/tmp/unused");
    listen();
    const s = ssc.queueStream<number>([]);
    const w = s.window(Seconds(3), Seconds(1));
    w.foreachRDD(() => {});
    const inv = s.map((x) => [x, 1] as [number, number]).reduceByKeyAndWindow((a, b) => a + b, (a, b) => a - b, Seconds(2), Seconds(1));
    inv.foreachRDD(() => {});
    ssc.start();
    await runBatches(ssc, clock, 4);
    const windows = ofType(events, "window");
    expect(windows.find((e) => e.streamId === w.id && e.batchTimeMs === 4000)).toMatchObject({
      windowStartMs: 1000,
      windowEndMs: 4000,
      slideDurationMs: 1000,
      coveredTimesMs: [2000, 3000, 4000],
    });
    expect(windows.find((e) => e.streamId === w.id && e.batchTimeMs === 1000)?.coveredTimesMs).toEqual([1000]);
    expect(windows.find((e) => e.streamId === inv.id && e.batchTimeMs === 4000)).toMatchObject({
      coveredTimesMs: [3000, 4000],
      enteredTimesMs: [4000],
      leftTimesMs: [2000],
    });
  });

  test("a failing user function is reported with the stream it came from", async () => {
    const { ssc, clock, events, listen } = manualContext();
    open.push(ssc);
    listen();
    const bad = ssc.queueStream([ssc.sc.makeRDD([1])]).map(() => {
      throw new Error("bad record");
    });
    const out = bad.foreachRDD((rdd) => void rdd.collect());
    ssc.start();
    ssc.awaitTermination().catch(() => undefined);
    await runBatches(ssc, clock, 2);
    const failed = ofType(events, "outputOperationCompleted").find((e) => e.batchTimeMs === 1000)!;
    expect(failed).toMatchObject({ streamId: out.id, failedStreamId: bad.id });
    expect(failed.error).toMatch(/bad record/);
    expect(ofType(events, "error")[0]).toMatchObject({ batchTimeMs: 1000, streamId: bad.id });
    expect(ofType(events, "batchCompleted").map((e) => [e.batchTimeMs, e.numFailedOutputOps])).toEqual([
      [1000, 1],
      [2000, 0],
    ]);
  });

  test("nothing is observed when nobody listens", async () => {
    const { ssc, clock } = manualContext();
    open.push(ssc);
    const s = ssc.queueStream([ssc.sc.makeRDD([1])]);
    const rdds: unknown[] = [];
    s.foreachRDD((rdd) => void rdds.push(rdd));
    ssc.start();
    await runBatches(ssc, clock, 1);
    expect((rdds[0] as { origin?: { observer?: unknown } }).origin?.observer).toBeUndefined();
  });
});
