// A batch preparer (a lookup table read from a database before the batch's jobs are generated):
// the batch, and every later one, waits for it, in order; with none, generation stays synchronous;
// a stop aborts a preparation that waits on something that may never come.
import { afterEach, describe, expect, test } from "vitest";
import { StreamingContext } from "../../../engine/index";
import { manualContext } from "./helpers";

const open: StreamingContext[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.stop();
});

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

function setup() {
  const { ssc, clock } = manualContext({});
  open.push(ssc);
  const generated: number[] = [];
  ssc.queueStream([1, 2, 3].map((n) => ssc.sc.makeRDD([n]))).foreachRDD((rdd, t) => void generated.push(t.milliseconds / 1000));
  return { ssc, clock, generated };
}

describe("batch preparers", () => {
  test("a batch waits for its preparation, and later batches wait behind it, in order", async () => {
    const { ssc, clock, generated } = setup();
    const first = deferred();
    const asked: number[] = [];
    ssc.addBatchPreparer((time) => {
      asked.push(time.milliseconds / 1000);
      return time.milliseconds === 1000 ? first.promise : undefined;
    });
    ssc.start();
    clock.advance(ssc.batchDuration.times(3));
    for (let i = 0; i < 5; i++) await Promise.resolve();
    // Batch 1 waits; batches 2 and 3 are due but queued behind it, not asked yet.
    expect(generated).toEqual([]);
    expect(asked).toEqual([1]);
    first.resolve();
    await ssc.awaitBatchesDue();
    expect(asked).toEqual([1, 2, 3]);
    expect(generated).toEqual([1, 2, 3]);
  });

  test("with nothing to wait for, a batch is generated as soon as its time comes", async () => {
    const { ssc, clock, generated } = setup();
    ssc.addBatchPreparer(() => undefined);
    ssc.start();
    clock.advance(ssc.batchDuration);
    await ssc.awaitBatchesDue();
    expect(generated).toEqual([1]);
  });

  test("a failing preparation is reported and the batch still runs", async () => {
    const { ssc, clock, generated } = setup();
    ssc.addBatchPreparer((time) => (time.milliseconds === 1000 ? Promise.reject(new Error("table gone")) : undefined));
    ssc.start();
    clock.advance(ssc.batchDuration.times(2));
    await ssc.awaitBatchesDue();
    expect(generated).toEqual([1, 2]);
    expect(String(ssc.reportedError)).toContain("table gone");
  });

  test("stopping aborts a preparation that waits, and the batch behind it is not generated", async () => {
    const { ssc, clock, generated } = setup();
    let aborted = false;
    ssc.addBatchPreparer((_time, signal) => new Promise<void>((resolve) => signal.addEventListener("abort", () => ((aborted = true), resolve()))));
    ssc.start();
    clock.advance(ssc.batchDuration);
    for (let i = 0; i < 5; i++) await Promise.resolve();
    await ssc.stop();
    await Promise.resolve();
    expect(aborted).toBe(true);
    expect(generated).toEqual([]);
  });
});
