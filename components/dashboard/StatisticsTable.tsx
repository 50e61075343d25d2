"use client";

import { useMemo } from "react";
import { batchStatistics } from "@/server/runs/aggregate/statistics";
import type { BatchSummary } from "@/server/runs/types";
import { formatDuration, formatDurationTick, formatRate, formatTickNumber } from "./format";
import { MetricRow } from "./MetricRow";

export interface StatisticsTableProps {
  batches: readonly BatchSummary[];
  batchIntervalMs: number;
  selectedBatchMs?: number;
  onSelectBatch: (batchTimeMs: number) => void;
}

/** Bars of each histogram: few enough that each bar has room for its count. */
const HISTOGRAM_BINS = 10;

/** Spark's statistics table: input rate, scheduling delay, processing time and total delay. */
export function StatisticsTable(p: StatisticsTableProps) {
  const s = useMemo(() => batchStatistics(p.batches, p.batchIntervalMs, { bins: HISTOGRAM_BINS }), [p.batches, p.batchIntervalMs]);
  const common = { selectedBatchMs: p.selectedBatchMs, onSelectBatch: p.onSelectBatch };
  return (
    <section className="dash-section" aria-label="Batch statistics" data-testid="statistics">
      <h2>
        Statistics
        <small>
          last {s.completedBatches} completed batches, {s.activeBatches} active; click a point to see its batch
        </small>
      </h2>
      <MetricRow title="Input Rate (records/s)" format={formatRate} formatTick={formatTickNumber} stats={s.metrics.inputRate} axisMax={s.rateAxisMax} testId="stats-input-rate" {...common} />
      <MetricRow title="Scheduling Delay" format={formatDuration} formatTick={formatDurationTick} stats={s.metrics.schedulingDelayMs} axisMax={s.delayAxisMaxMs} testId="stats-scheduling-delay" {...common} />
      <MetricRow
        title="Processing Time"
        format={formatDuration}
        formatTick={formatDurationTick}
        stats={s.metrics.processingTimeMs}
        axisMax={s.delayAxisMaxMs}
        reference={{ value: p.batchIntervalMs, label: `batch interval ${formatDuration(p.batchIntervalMs)}` }}
        testId="stats-processing-time"
        {...common}
      />
      <MetricRow title="Total Delay" format={formatDuration} formatTick={formatDurationTick} stats={s.metrics.totalDelayMs} axisMax={s.delayAxisMaxMs} testId="stats-total-delay" {...common} />
    </section>
  );
}
