import { IllegalArgumentException } from "../errors";
import { PIDRateEstimator } from "./PIDRateEstimator";

/**
 * Estimates how many records per second an input stream should take, from what each completed
 * batch measured (Spark's RateEstimator). Undefined: no new estimate from this batch.
 */
export interface RateEstimator {
  compute(timeMs: number, elements: number, processingDelayMs: number, schedulingDelayMs: number): number | undefined;
}

/** The PID terms (spark.streaming.backpressure.pid.*), with Spark's defaults when left out. */
export interface PIDSettings {
  /** spark.streaming.backpressure.pid.proportional (default 1). */
  readonly proportional?: number;
  /** spark.streaming.backpressure.pid.integral (default 0.2). */
  readonly integral?: number;
  /** spark.streaming.backpressure.pid.derived (default 0). */
  readonly derived?: number;
  /** spark.streaming.backpressure.pid.minRate, records/s (default 100). */
  readonly minRate?: number;
}

/** spark.streaming.backpressure.*: the rate of every input stream follows its batches' speed. */
export interface BackpressureSettings {
  /** spark.streaming.backpressure.enabled (default false). */
  readonly enabled: boolean;
  /** spark.streaming.backpressure.initialRate: records/s before the first estimate (default: none). */
  readonly initialRate?: number;
  /** spark.streaming.backpressure.rateEstimator: only "pid" exists, as in Spark. */
  readonly rateEstimator?: "pid";
  readonly pid?: PIDSettings;
}

export const PID_DEFAULTS = { proportional: 1, integral: 0.2, derived: 0, minRate: 100 } as const;

/** Spark's RateEstimator.create: the estimator the settings name, for batches of `batchIntervalMs`. */
export function createRateEstimator(settings: BackpressureSettings, batchIntervalMs: number): RateEstimator {
  const kind: string = settings.rateEstimator ?? "pid";
  if (kind !== "pid") throw new IllegalArgumentException(`Unknown rate estimator: ${kind}`);
  const pid = settings.pid ?? {};
  return new PIDRateEstimator(
    batchIntervalMs,
    pid.proportional ?? PID_DEFAULTS.proportional,
    pid.integral ?? PID_DEFAULTS.integral,
    pid.derived ?? PID_DEFAULTS.derived,
    pid.minRate ?? PID_DEFAULTS.minRate,
  );
}
