import type { BatchSummary } from "../types";
import { downsampleMinMax, MAX_SERIES_POINTS } from "./downsample";
import { histogram, type HistogramBin } from "./histogram";

/** One completed batch on the statistics timelines. */
export interface BatchPoint {
  batchTimeMs: number;
  numRecords: number;
  /** Records per second: the batch's records over the batch interval. */
  inputRate: number;
  schedulingDelayMs?: number;
  processingTimeMs?: number;
  totalDelayMs?: number;
}

export type MetricKey = "inputRate" | "schedulingDelayMs" | "processingTimeMs" | "totalDelayMs";
export const METRIC_KEYS: readonly MetricKey[] = ["inputRate", "schedulingDelayMs", "processingTimeMs", "totalDelayMs"];

/** One point of a metric's timeline. */
export interface MetricPoint {
  batchTimeMs: number;
  value: number;
}

export interface MetricStats {
  /** The timeline, oldest first, downsampled to at most `maxPoints` (each bucket keeps its min and max). */
  timeline: MetricPoint[];
  avg?: number;
  min?: number;
  max?: number;
  /** Bins over [0, the chart's y maximum], so that the bars line up with the timeline's y axis. */
  histogram: HistogramBin[];
}

/** What the four rows of Spark's statistics table show. */
export interface BatchStatistics {
  metrics: Record<MetricKey, MetricStats>;
  /** The one y maximum of the three delay charts (ms), as Spark shares their scale: scaled to the delays. */
  delayAxisMaxMs: number;
  /** Whether the batch interval lies on the delay axis (its reference line is drawn). */
  intervalInRange: boolean;
  /** The input-rate chart's y maximum (records/s). */
  rateAxisMax: number;
  completedBatches: number;
  /** Batches queued or processing. */
  activeBatches: number;
}

/** Records per second of a batch: its records over the batch interval. */
export function inputRate(numRecords: number, batchIntervalMs: number): number {
  if (batchIntervalMs <= 0) throw new Error(`inputRate: the batch interval must be positive (was ${batchIntervalMs} ms)`);
  return numRecords / (batchIntervalMs / 1000);
}

export const isFinalBatch = (b: BatchSummary): boolean => b.status === "completed" || b.status === "failed";

/** A round axis maximum a little above `value` (1, 2, 5 × 10^n), at least `floor`. */
export function niceCeil(value: number, floor = 1): number {
  const v = Math.max(value, floor);
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

function stats(timeline: MetricPoint[], axisMax: number, bins: number, maxPoints: number): MetricStats {
  const values = timeline.map((p) => p.value);
  const h = histogram(values, { bins, min: 0, max: axisMax });
  const shown = downsampleMinMax(timeline, (p) => p.value, maxPoints);
  if (values.length === 0) return { timeline: shown, histogram: h };
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { timeline: shown, avg: sum / values.length, min, max, histogram: h };
}

/**
 * Folds the retained batches into Spark's statistics: the timelines of the four metrics over
 * the completed batches, their averages and histograms, and shared axis maxima. The delay axis is
 * scaled to the delays, so that delays of a few ms do not draw as a flat line at zero; it reaches up
 * to the batch interval (and shows its reference line) once a delay comes within half of it.
 */
export function batchStatistics(
  batches: readonly BatchSummary[],
  batchIntervalMs: number,
  opts: { maxPoints?: number; bins?: number } = {},
): BatchStatistics {
  const done = batches.filter(isFinalBatch).sort((a, b) => a.batchTimeMs - b.batchTimeMs);
  const all: BatchPoint[] = done.map((b) => ({
    batchTimeMs: b.batchTimeMs,
    numRecords: b.numRecords,
    inputRate: inputRate(b.numRecords, batchIntervalMs),
    schedulingDelayMs: b.schedulingDelayMs,
    processingTimeMs: b.processingTimeMs,
    totalDelayMs: b.totalDelayMs,
  }));
  const timeline = (k: MetricKey): MetricPoint[] => {
    const out: MetricPoint[] = [];
    for (const p of all) {
      const value = p[k];
      if (value !== undefined && Number.isFinite(value)) out.push({ batchTimeMs: p.batchTimeMs, value });
    }
    return out;
  };
  const series = Object.fromEntries(METRIC_KEYS.map((k) => [k, timeline(k)])) as Record<MetricKey, MetricPoint[]>;
  const peak = (xs: MetricPoint[]): number => xs.reduce((m, p) => (p.value > m ? p.value : m), 0);
  const delayPeak = Math.max(peak(series.schedulingDelayMs), peak(series.processingTimeMs), peak(series.totalDelayMs));
  const delayAxisMaxMs = niceCeil(delayPeak * 2 >= batchIntervalMs ? Math.max(delayPeak, batchIntervalMs) : delayPeak);
  const rateAxisMax = niceCeil(peak(series.inputRate));
  const bins = opts.bins ?? 20;
  const maxPoints = opts.maxPoints ?? MAX_SERIES_POINTS;
  const metrics = {
    inputRate: stats(series.inputRate, rateAxisMax, bins, maxPoints),
    schedulingDelayMs: stats(series.schedulingDelayMs, delayAxisMaxMs, bins, maxPoints),
    processingTimeMs: stats(series.processingTimeMs, delayAxisMaxMs, bins, maxPoints),
    totalDelayMs: stats(series.totalDelayMs, delayAxisMaxMs, bins, maxPoints),
  };
  return {
    metrics,
    delayAxisMaxMs,
    intervalInRange: batchIntervalMs <= delayAxisMaxMs,
    rateAxisMax,
    completedBatches: done.length,
    activeBatches: batches.length - done.length,
  };
}
