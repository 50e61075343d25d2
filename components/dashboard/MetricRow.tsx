"use client";

import { Bar, BarChart, CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { MetricStats } from "@/server/runs/aggregate/statistics";
import { formatBatchTime, formatTick } from "./format";

export interface MetricRowProps {
  title: string;
  /** Formats a value of this metric (ms or records/s). */
  format: (v: number | undefined) => string;
  /** Formats a y-axis tick, shorter than `format` (the unit is in the title). */
  formatTick?: (v: number) => string;
  stats: MetricStats;
  /** The y maximum, shared by the three delay rows. */
  axisMax: number;
  /** A horizontal reference line (the batch interval on the processing-time chart). */
  reference?: { value: number; label: string };
  selectedBatchMs?: number;
  onSelectBatch: (batchTimeMs: number) => void;
  testId: string;
}

const CHART_MARGIN = { top: 6, right: 8, bottom: 0, left: 0 };

/**
 * One row of Spark's statistics table: the metric's average, its timeline over the retained
 * batches and its histogram on the same y scale. Animations are off: live series redraw often.
 */
export function MetricRow(p: MetricRowProps) {
  const bins = p.stats.histogram.map((b) => ({ ...b, label: `${p.format(b.from)} – ${p.format(b.to)}` }));
  return (
    <div className="stats-row" data-testid={p.testId}>
      <div className="stats-label">
        <b>{p.title}</b>
        <span>Avg: {p.format(p.stats.avg)}</span>
        {p.stats.max !== undefined && <span>Max: {p.format(p.stats.max)}</span>}
      </div>
      <div className="stats-chart">
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
            <XAxis dataKey="batchTimeMs" type="number" domain={["dataMin", "dataMax"]} tickFormatter={formatTick} stroke="var(--muted)" fontSize={11} />
            <YAxis domain={[0, p.axisMax]} allowDataOverflow tickFormatter={p.formatTick ?? ((v: number) => p.format(v))} stroke="var(--muted)" fontSize={11} width={56} />
            <Tooltip
              isAnimationActive={false}
              labelFormatter={(t) => `Batch ${formatBatchTime(Number(t))}`}
              formatter={(v) => [p.format(Number(v)), p.title]}
              contentStyle={{ background: "var(--panel)", border: "1px solid var(--line)", fontSize: 12 }}
            />
            {p.reference && (
              <ReferenceLine
                y={p.reference.value}
                stroke="var(--warn)"
                strokeDasharray="5 4"
                label={{ value: p.reference.label, position: "insideTopRight", fill: "var(--warn)", fontSize: 11 }}
              />
            )}
            {p.selectedBatchMs !== undefined && <ReferenceLine x={p.selectedBatchMs} stroke="var(--accent)" />}
            <Line dataKey="value" type="linear" stroke="var(--accent)" strokeWidth={1.5} dot={false} isAnimationActive={false} />
          </LineChart>
        </ResponsiveContainer>
      </div>
      <div className="stats-chart" title={`Distribution of ${p.title.toLowerCase()}`}>
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={bins} layout="vertical" margin={{ ...CHART_MARGIN, bottom: 30 }} barCategoryGap={1}>
            <XAxis type="number" allowDecimals={false} stroke="var(--muted)" fontSize={11} hide />
            {/* Reversed bins: the lowest values at the bottom, level with the timeline's y axis. */}
            <YAxis type="category" dataKey="label" reversed hide />
            <Tooltip isAnimationActive={false} formatter={(v) => [`${v} batches`, "count"]} contentStyle={{ background: "var(--panel)", border: "1px solid var(--line)", fontSize: 12 }} />
            <Bar dataKey="count" fill="var(--accent)" fillOpacity={0.7} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </div>
    </div>
  );
}
