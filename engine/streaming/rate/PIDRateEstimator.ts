import { require } from "../errors";
import type { RateEstimator } from "./RateEstimator";

/**
 * A proportional-integral-derivative controller of the ingestion rate (Spark's PIDRateEstimator).
 *
 * The set point is the rate it gave for the previous batch; the measured value is the batch's
 * processing rate (records / processing time). The integral term uses the scheduling delay as
 * the accumulated error: a delay of s ms holds s * processingRate records that earlier batches
 * could not take, which would drain at that many records per batch interval. The result never
 * goes below `minRate`, so that some records always arrive to measure the speed with.
 */
export class PIDRateEstimator implements RateEstimator {
  private firstRun = true;
  private latestTime = -1;
  private latestRate = -1;
  private latestError = -1;

  constructor(
    readonly batchIntervalMillis: number,
    readonly proportional: number,
    readonly integral: number,
    readonly derivative: number,
    readonly minRate: number,
  ) {
    // Spark's require() checks and messages; `x >= 0` is also false for NaN.
    require(batchIntervalMillis > 0, `Specified batch interval ${batchIntervalMillis} in PIDRateEstimator is invalid.`);
    require(proportional >= 0, `Proportional term ${proportional} in PIDRateEstimator should be >= 0.`);
    require(integral >= 0, `Integral term ${integral} in PIDRateEstimator should be >= 0.`);
    require(derivative >= 0, `Derivative term ${derivative} in PIDRateEstimator should be >= 0.`);
    require(minRate > 0, "Minimum rate in PIDRateEstimator should be > 0");
  }

  /**
   * @param timeMs when the batch finished processing (ms)
   * @param elements records the stream took in that batch
   * @param processingDelayMs how long its jobs ran (ms)
   * @param schedulingDelayMs how long it waited for earlier batches (ms)
   */
  compute(timeMs: number, elements: number, processingDelayMs: number, schedulingDelayMs: number): number | undefined {
    // Guards: time must move on, and an empty or instant batch says nothing about the speed.
    if (!(timeMs > this.latestTime && elements > 0 && processingDelayMs > 0)) return undefined;
    const secondsSinceUpdate = (timeMs - this.latestTime) / 1000;
    const processingRate = (elements / processingDelayMs) * 1000; // records/s
    const error = this.latestRate - processingRate; // records/s
    const historicalError = (schedulingDelayMs * processingRate) / this.batchIntervalMillis; // records/s
    const dError = (error - this.latestError) / secondsSinceUpdate; // records/s²
    const newRate = Math.max(
      this.latestRate - this.proportional * error - this.integral * historicalError - this.derivative * dError,
      this.minRate,
    );
    this.latestTime = timeMs;
    if (this.firstRun) {
      // No earlier rate to correct: start from the measured speed, publish nothing yet.
      this.latestRate = processingRate;
      this.latestError = 0;
      this.firstRun = false;
      return undefined;
    }
    this.latestRate = newRate;
    this.latestError = error;
    return newRate;
  }
}
