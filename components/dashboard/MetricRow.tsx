"use client";

import { useMemo } from "react";
import { Bar, BarChart, CartesianGrid, LabelList, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { MetricStats } from "@/server/runs/aggregate/statistics";
import { formatBatchTime, formatTick, formatTickNumber, ticksOf } from "./format";

export interface MetricRowProps {
  title: string;
  /** Formats a value of this metric (ms or records/s). */
  format: (v: number | undefined) => string;
  /** Formats a y-axis tick, shorter than `format` and never wrapped. */
  formatTick: (v: number) => string;
  stats: MetricStats;
  /** The y maximum, shared by the three delay rows and scaled to their data. */
  axisMax: number;
  /** A horizontal reference line (the batch interval), drawn when it lies on the axis. */
  reference?: { value: number; label: string };
  selectedBatchMs?: number;
  onSelectBatch: (batchTimeMs: number) => void;
  testId: string;
}

const CHART_MARGIN = { top: 8, right: 10, bottom: 0, left: 0 };
/** Both charts of a row share the y axis's width and the x axis's height, so their y scales line up. */
const Y_AXIS_WIDTH = 64;
const X_AXIS_HEIGHT = 30;
const BATCHES_LABEL = { value: "batches", position: "insideBottomRight", offset: 0, fill: "var(--muted)", fontSize: 11 } as const;
/** A bar's count beside it; none on empty bins. */
const countLabel = (v: unknown): string => (Number(v) > 0 ? String(v) : "");
const TOOLTIP_STYLE = { background: "var(--panel)", border: "1px solid var(--line)", fontSize: 12 };


/**
 * One row of Spark's statistics table: the metric's average, its timeline over the retained
 * batches and its histogram on the same y scale (values up, batches per range across, with the
 * count on each bar). Animations are off: live series redraw often.
 */
export function MetricRow(p: MetricRowProps) {
  const bins = p.stats.histogram.map((b) => ({ ...b, label: `${p.format(b.from)} – ${p.format(b.to)}`, mid: (b.from + b.to) / 2 }));
  // Stable props: recharts keeps axis settings in a store, and a new array each render would update it again.
  const ticks = useMemo(() => ticksOf(p.axisMax), [p.axisMax]);
  const showReference = p.reference !== undefined && p.reference.value <= p.axisMax;
  const total = bins.reduce((n, b) => n + b.count, 0);
  return (
    <div className="stats-row" data-testid={p.testId}>
      <div className="stats-label">
        <b>{p.title}</b>
        <span>Avg: {p.format(p.stats.avg)}</span>
        {p.stats.max !== undefined && <span>Max: {p.format(p.stats.max)}</span>}
        {p.reference && !showReference && <span title="The batch interval is above this axis: every batch finished well within it">Interval: {p.reference.label}</span>}
      </div>
      <figure className="stats-chart" aria-label={`Timeline of ${p.title.toLowerCase()}`} data-chart="timeline">
        <ResponsiveContainer width="100%" height="100%">
          <LineChart
            data={p.stats.timeline}
            margin={CHART_MARGIN}
            onClick={(e) => {
              const t = Number(e?.activeLabel);
              if (Number.isFinite(t)) p.onSelectBatch(t);
            }}
          >
            <CartesianGrid stroke="var(--line)" strokeDasharray="2 4" vertical={false} />
            <XAxis dataKey="batchTimeMs" type="number" domain={["dataMin", "dataMax"]} tickFormatter={formatTick} stroke="var(--muted)" fontSize={11} height={X_AXIS_HEIGHT} minTickGap={24} />
            <YAxis domain={[0, p.axisMax]} ticks={ticks} allowDataOverflow tickFormatter={p.formatTick} stroke="var(--muted)" fontSize={11} width={Y_AXIS_WIDTH} interval={0} />
            <Tooltip isAnimationActive={false} labelFormatter={(t) => `Batch ${formatBatchTime(Number(t))}`} formatter={(v) => [p.format(Number(v)), p.title]} contentStyle={TOOLTIP_STYLE} />
            {showReference && (
              <ReferenceLine
                y={p.reference!.value}
                stroke="var(--warn)"
                strokeDasharray="5 4"
                label={{ value: p.reference!.label, position: "insideTopRight", fill: "var(--warn)", fontSize: 11 }}
              />
            )}
            {p.selectedBatchMs !== undefined && <ReferenceLine x={p.selectedBatchMs} stroke="var(--accent)" />}
            <Line dataKey="value" name={p.title} type="linear" stroke="var(--series-1)" strokeWidth={1.5} dot={false} isAnimationActive={false} />
          </LineChart>
        </ResponsiveContainer>
      </figure>
      <figure className="stats-chart" aria-label={`Histogram of ${p.title.toLowerCase()}: ${total} batches`} data-chart="histogram">
        <ResponsiveContainer width="100%" height="100%">
          {/* Room on the right for the count beside the longest bar. */}
          <BarChart data={bins} layout="vertical" margin={{ ...CHART_MARGIN, right: 28 }} barCategoryGap={1}>
            <CartesianGrid stroke="var(--line)" strokeDasharray="2 4" horizontal={false} />
            <XAxis
              type="number"
              allowDecimals={false}
              stroke="var(--muted)"
              fontSize={11}
              height={X_AXIS_HEIGHT}
              tickFormatter={formatTickNumber}
              label={BATCHES_LABEL}
            />
            {/* Reversed bins: the lowest values at the bottom, level with the timeline's y axis. */}
            <YAxis type="category" dataKey="label" reversed width={Y_AXIS_WIDTH} hide />
            <Tooltip isAnimationActive={false} formatter={(v) => [`${String(v)} batches`, "count"]} contentStyle={TOOLTIP_STYLE} />
            <Bar dataKey="count" name="batches" fill="var(--series-1)" fillOpacity={0.75} isAnimationActive={false}>
              <LabelList dataKey="count" position="right" fontSize={10} fill="var(--muted)" formatter={countLabel} />
            </Bar>
          </BarChart>
        </ResponsiveContainer>
      </figure>
    </div>
  );
}
