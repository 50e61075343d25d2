import { describe, expect, test } from "vitest";
import { createRateEstimator } from "../../../../engine/streaming/rate/RateEstimator";
import { PIDRateEstimator } from "../../../../engine/streaming/rate/PIDRateEstimator";
import { IllegalArgumentException } from "../../../../engine/streaming/errors";
import { seededRandom } from "../../../../engine/sources/transactionLog";

// Spark's PIDRateEstimatorSuite, case by case.
const defaultEstimator = () => new PIDRateEstimator(20, 1, 0, 0, 10);
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe("PIDRateEstimator (Spark's PIDRateEstimatorSuite)", () => {
  test("the right estimator is created", () => {
    expect(createRateEstimator({ enabled: true, rateEstimator: "pid" }, 1000)).toBeInstanceOf(PIDRateEstimator);
    const pid = createRateEstimator({ enabled: true }, 1000) as PIDRateEstimator;
    // Spark's defaults of spark.streaming.backpressure.pid.*
    expect([pid.proportional, pid.integral, pid.derivative, pid.minRate]).toEqual([1, 0.2, 0, 100]);
    expect(() => createRateEstimator({ enabled: true, rateEstimator: "other" as "pid" }, 1000)).toThrow("Unknown rate estimator: other");
  });

  test("estimator checks ranges", () => {
    expect(() => new PIDRateEstimator(0, 1, 2, 3, 10)).toThrow(IllegalArgumentException);
    expect(() => new PIDRateEstimator(100, -1, 2, 3, 10)).toThrow(IllegalArgumentException);
    expect(() => new PIDRateEstimator(100, 0, -1, 3, 10)).toThrow(IllegalArgumentException);
    expect(() => new PIDRateEstimator(100, 0, 0, -1, 10)).toThrow(IllegalArgumentException);
    expect(() => new PIDRateEstimator(100, 0, 0, 0, 0)).toThrow(IllegalArgumentException);
    expect(() => new PIDRateEstimator(100, 0, 0, 0, -10)).toThrow(IllegalArgumentException);
    expect(() => new PIDRateEstimator(100, 0, 0, 0, -10)).toThrow("requirement failed: Minimum rate in PIDRateEstimator should be > 0");
    expect(() => new PIDRateEstimator(100, Number.NaN, 0, 0, 10)).toThrow("Proportional term NaN");
  });

  test("first estimate is None", () => {
    expect(defaultEstimator().compute(0, 10, 10, 0)).toBeUndefined();
  });

  test("second estimate is not None", () => {
    const p = defaultEstimator();
    p.compute(0, 10, 10, 0);
    expect(p.compute(10, 10, 10, 0)).toBe(1000); // 1000 elements / s
  });

  test("no estimate when no time difference between successive calls", () => {
    const p = defaultEstimator();
    p.compute(0, 10, 10, 0);
    expect(p.compute(10, 10, 10, 0)).not.toBeUndefined();
    expect(p.compute(10, 10, 10, 0)).toBeUndefined();
  });

  test("no estimate when no records in previous batch", () => {
    const p = defaultEstimator();
    p.compute(0, 10, 10, 0);
    expect(p.compute(10, 0, 10, 0)).toBeUndefined();
    expect(p.compute(20, -10, 10, 0)).toBeUndefined();
  });

  test("no estimate when there is no processing delay", () => {
    const p = defaultEstimator();
    p.compute(0, 10, 10, 0);
    expect(p.compute(10, 10, 0, 0)).toBeUndefined();
    expect(p.compute(20, 10, -10, 0)).toBeUndefined();
  });

  test("estimate is never less than min rate", () => {
    const minRate = 5;
    const p = new PIDRateEstimator(20, 1, 1, 0, minRate);
    // One update every 20 ms, 1 element, 20 ms of processing, a strictly positive scheduling delay.
    const res = range(50).map((i) => p.compute(i * 20, 1, 20, 100));
    expect(res[0]).toBeUndefined();
    expect(res.slice(1)).toEqual(range(49).map(() => minRate));
  });

  test("with no accumulated or positive error, |I| > 0, follow the processing speed", () => {
    const p = new PIDRateEstimator(20, 1, 1, 0, 10);
    // Increasing elements, constant processing time, no scheduling delay: only P acts.
    const res = range(50).map((i) => p.compute(i * 20, (i + 1) * 20, 20, 0));
    expect(res[0]).toBeUndefined();
    expect(res.slice(1)).toEqual(range(50).map((x) => (x + 1) * 1000).slice(1));
  });

  test("with no accumulated but some positive error, |I| > 0, follow the processing speed", () => {
    const p = new PIDRateEstimator(20, 1, 1, 0, 10);
    // Decreasing elements: asks for fewer and fewer.
    const res = range(50).map((i) => p.compute(i * 20, (50 - i) * 20, 20, 0));
    expect(res[0]).toBeUndefined();
    expect(res.slice(1)).toEqual(range(50).map((x) => (50 - x) * 1000).slice(1));
  });

  test("with some accumulated and some positive error, |I| > 0, stay below the processing speed", () => {
    const p = new PIDRateEstimator(20, 1, 0.01, 0, 10);
    const rng = seededRandom(19);
    const elements = range(50).map(() => Math.floor(rng() * 1000));
    const procDelayMs = 20;
    const sched = range(50).map(() => Math.floor(rng() * 19)); // random wait
    const speeds = elements.map((x) => (x / procDelayMs) * 1000);
    const res = range(50).map((i) => p.compute(i * 20, elements[i], procDelayMs, sched[i]));
    expect(res[0]).toBeUndefined();
    for (let n = 1; n < 50; n++) {
      // Spark's case assumes every batch has elements (nextInt(1000) may give 0 only rarely).
      if (elements[n] === 0) continue;
      expect(res[n]).not.toBeUndefined();
      if (res[n]! > 0 && sched[n] > 0) expect(res[n]!).toBeLessThan(speeds[n]);
    }
  });

  test("the integral term lowers the rate by the records the scheduling delay stands for", () => {
    const p = new PIDRateEstimator(1000, 1, 0.2, 0, 1);
    p.compute(1000, 500, 1000, 0); // first run: 500 records/s measured
    // Same speed, 2 s of scheduling delay: 2000 ms * 500/s / 1000 ms = 1000 records/s of historical error.
    expect(p.compute(2000, 500, 1000, 2000)).toBe(500 - 0.2 * 1000);
  });
});
