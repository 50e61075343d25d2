import { afterEach, describe, expect, test } from "vitest";
import { ManualClock, Milliseconds, Receiver, Seconds, StreamingContext, type BatchCompletedEvent } from "../../../../engine/index";
import type { BackpressureSettings } from "../../../../engine/streaming/rate/RateEstimator";

/** Stores what the test hands it. */
class BurstReceiver extends Receiver<number> {
  constructor(private readonly max?: number) {
    super();
  }
  override get maxRate(): number | undefined {
    return this.max;
  }
  onStart() {}
  onStop() {}
}

const open: { ssc: StreamingContext; clock: ManualClock }[] = [];
afterEach(async () => {
  for (const { ssc, clock } of open.splice(0)) await finish(ssc, clock);
});

/** Stops a context whose running job waits for the clock: the clock moves on until it has stopped. */
async function finish(ssc: StreamingContext, clock: ManualClock): Promise<void> {
  let stopped = false;
  const stopping = ssc.stop({ stopGracefully: false }).then(() => (stopped = true));
  while (!stopped) {
    clock.advance(Seconds(10));
    await settle();
  }
  await stopping;
}

const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise<void>((r) => setImmediate(r));
};

/**
 * Steady input of 200 records/s, then a burst of 6000 records at 5 s, on a manual clock.
 * Processing costs 2 ms of clock time per record (an output whose job ends when the clock has
 * moved on by that much), so the engine can process 500 records/s. Returns the engine's own
 * batch figures.
 */
async function burst(options: { backpressure?: BackpressureSettings; maxRate?: number; seconds?: number }) {
  const clock = new ManualClock(0);
  const ssc = new StreamingContext(Seconds(1), { clock, backpressure: options.backpressure });
  const receiver = new BurstReceiver(options.maxRate);
  const completed: BatchCompletedEvent[] = [];
  ssc.addStreamingListener({ onBatchCompleted: (e) => completed.push(e) });
  let processed = 0;
  ssc.receiverStream(receiver).foreachRDD((rdd) => {
    const n = rdd.count();
    processed += n;
    return new Promise<void>((done) => clock.schedule(clock.getTimeMillis() + 2 * n, done));
  });
  ssc.start();
  const stepMs = 10;
  let next = 0;
  for (let t = 0; t < (options.seconds ?? 30) * 1000; t += stepMs) {
    if (t % 100 === 0 && t < 20_000) {
      receiver.storeMany(Array.from({ length: 20 }, () => next++)); // 200 records/s
    }
    if (t === 5000) receiver.storeMany(Array.from({ length: 6000 }, () => next++));
    clock.advance(Milliseconds(stepMs));
    await settle();
  }
  const status = ssc.scheduler.receiverTracker.rateStatus();
  await finish(ssc, clock);
  return { completed, processed, sent: next, status };
}

const figures = (c: BatchCompletedEvent[]) => c.map((e) => `${e.batchTimeMs / 1000}s:${e.numRecords}rec/${e.schedulingDelayMs}ms`).join(" ");

describe("backpressure (spark.streaming.backpressure.enabled)", () => {
  test("a burst under backpressure keeps the scheduling delay bounded; without it the delay grows", async () => {
    const without = await burst({});
    const withBp = await burst({ backpressure: { enabled: true, pid: { minRate: 10 } } });
    console.log(`without backpressure: ${figures(without.completed)}`);
    console.log(`with backpressure:    ${figures(withBp.completed)}`);
    const maxDelay = (c: BatchCompletedEvent[]) => Math.max(...c.map((e) => e.schedulingDelayMs));
    const maxRecords = (c: BatchCompletedEvent[]) => Math.max(...c.map((e) => e.numRecords));
    // Without: the batch holding the burst takes its 6000+ records at once (12 s of work), and
    // each later batch waits behind it.
    expect(maxRecords(without.completed)).toBeGreaterThanOrEqual(6000);
    expect(maxDelay(without.completed)).toBeGreaterThan(10_000);
    // With: batches take about what 1 s of processing allows, so none waits a batch interval.
    expect(maxRecords(withBp.completed)).toBeLessThanOrEqual(600);
    expect(maxDelay(withBp.completed)).toBeLessThan(1000);
    // Nothing is lost: held records arrive in later batches, in order.
    expect(withBp.processed).toBe(withBp.sent);
  });

  test("the rate follows the PID estimate and never exceeds the source's maximum", async () => {
    const {
      status: [status],
    } = await burst({ backpressure: { enabled: true, pid: { minRate: 10 } }, maxRate: 300, seconds: 8 });
    expect(status.backpressure).toBe(true);
    expect(status.maxRate).toBe(300);
    // The estimate is the processing speed (500/s), the allowed rate the source's cap.
    expect(status.estimatedRate).toBeGreaterThan(300);
    expect(status.rate).toBe(300);
    // At 300/s from 5 s on, most of the burst still waits.
    expect(status.waiting).toBeGreaterThan(5000);
  });

  test("a fixed maximum rate (spark.streaming.receiver.maxRate) caps every batch; initialRate caps the first ones", async () => {
    const fixed = await burst({ maxRate: 100, seconds: 8 });
    expect(Math.max(...fixed.completed.map((e) => e.numRecords))).toBe(100);
    const initial = await burst({ backpressure: { enabled: true, initialRate: 50, pid: { minRate: 10 } }, seconds: 3 });
    expect(initial.completed.slice(0, 2).map((e) => e.numRecords)).toEqual([50, 50]);
  });

  test("settings are checked with clear messages", () => {
    expect(() => new StreamingContext(Seconds(1), { backpressure: { enabled: true, initialRate: 0 } })).toThrow("spark.streaming.backpressure.initialRate must be > 0");
    expect(() => new StreamingContext(Seconds(1), { backpressure: { enabled: true, pid: { integral: -1 } } })).toThrow("Integral term -1 in PIDRateEstimator should be >= 0.");
    expect(() => new StreamingContext(Seconds(1), { receiverMaxRate: -5 })).toThrow("spark.streaming.receiver.maxRate must be > 0");
  });
});

describe("rate settings of a pipeline", () => {
  test("the document's rateControl and a source's maxRate reach the engine", async () => {
    const { compilePipeline } = await import("../../../../engine/pipeline/compile");
    const { parsePipelineDocument, PIPELINE_SCHEMA_VERSION } = await import("../../../../engine/pipeline/document");
    const doc = {
      schemaVersion: PIPELINE_SCHEMA_VERSION,
      name: "rates",
      settings: { batchIntervalMs: 1000, checkpointing: { enabled: false }, concurrentJobs: 1, rateControl: { backpressure: true, initialRate: 40, receiverMaxRate: 70 } },
      nodes: [
        { id: "gen", kind: "transactionGenerator", position: { x: 0, y: 0 }, config: { maxRate: 30 } },
        { id: "p", kind: "print", position: { x: 0, y: 0 }, config: {} },
      ],
      edges: [{ id: "e", source: "gen", sourcePort: "out", target: "p", targetPort: "in" }],
    };
    const parsed = parsePipelineDocument(doc);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const { ssc } = compilePipeline(parsed.document, { clock: new ManualClock(0) });
    expect(ssc.backpressure).toMatchObject({ enabled: true, initialRate: 40, pid: { proportional: 1, integral: 0.2, derived: 0, minRate: 100 } });
    expect(ssc.receiverMaxRate).toBe(70);
    const bad = parsePipelineDocument({ ...doc, settings: { ...doc.settings, rateControl: { backpressure: true, pid: { minRate: 0 } } } });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.issues[0]).toMatchObject({ path: "settings.rateControl.pid.minRate", message: "must be more than 0 records per second" });
    const badSource = parsePipelineDocument({ ...doc, nodes: [{ ...doc.nodes[0], config: { maxRate: -1 } }, doc.nodes[1]] });
    expect(badSource.ok).toBe(true); // node configs are checked by the diagnostics
    if (badSource.ok) expect(() => compilePipeline(badSource.document, { clock: new ManualClock(0) })).toThrow("must be more than 0 records per second");
  });
});
