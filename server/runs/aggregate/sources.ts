/** Folds a run's source reports into what the dashboard shows: rates, offsets and lag trends. Browser-safe, pure. */
import type { LagSample, SourcesReport, SourcesView } from "../types";

/** Lag samples kept per partition (about one a second). */
export const KEEP_LAG_SAMPLES = 120;

const key = (streamId: string, topic: string, partition: number) => `${streamId}|${topic}|${partition}`;

/** The new report, each partition carrying its lag history (a partition's history survives a failed read). */
export function foldSources(prev: SourcesView | undefined, report: SourcesReport, keep = KEEP_LAG_SAMPLES): SourcesView {
  const history = new Map<string, LagSample[]>();
  for (const k of prev?.kafka ?? []) for (const p of k.partitions) history.set(key(k.streamId, p.topic, p.partition), p.lagHistory);
  return {
    timeMs: report.timeMs,
    rates: report.rates,
    kafka: report.kafka.map((k) => {
      // A read that failed keeps the partitions of the last good one, so the panel does not empty.
      const partitions = k.error !== undefined && k.partitions.length === 0 ? (prev?.kafka.find((o) => o.streamId === k.streamId)?.partitions ?? []) : null;
      if (partitions) return { ...k, partitions };
      return {
        ...k,
        partitions: k.partitions.map((p) => {
          const old = history.get(key(k.streamId, p.topic, p.partition)) ?? [];
          return { ...p, lagHistory: [...old, { timeMs: report.timeMs, lag: p.lag }].slice(-keep) };
        }),
      };
    }),
  };
}

export type LagTrend = "growing" | "shrinking" | "steady";

/** The lag's direction over the last `window` samples (first against last). */
export function lagTrend(history: readonly LagSample[], window = 5): LagTrend {
  const recent = history.slice(-window);
  if (recent.length < 2) return "steady";
  const d = recent[recent.length - 1].lag - recent[0].lag;
  return d > 0 ? "growing" : d < 0 ? "shrinking" : "steady";
}

/** Total lag of a run's Kafka sources and whether it is growing, for the run's header; undefined without Kafka. */
export function kafkaLagSummary(view: SourcesView | undefined): { lag: number; trend: LagTrend } | undefined {
  if (!view || view.kafka.length === 0) return undefined;
  let lag = 0;
  const totals = new Map<number, number>();
  for (const k of view.kafka) {
    for (const p of k.partitions) {
      lag += p.lag;
      for (const s of p.lagHistory) totals.set(s.timeMs, (totals.get(s.timeMs) ?? 0) + s.lag);
    }
  }
  const series = [...totals.entries()].sort((a, b) => a[0] - b[0]).map(([timeMs, l]) => ({ timeMs, lag: l }));
  return { lag, trend: lagTrend(series) };
}
