"use client";

import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { StateSeries } from "@/server/runs/state/types";
import { formatBatchTime, formatNumber, formatTick, formatTickNumber } from "./format";

/** Series colours (dashboard.css sets each for the light and the dark theme) and dash patterns, so lines differ in hue and in shape. */
const SERIES = [
  { stroke: "var(--series-1)", dash: undefined },
  { stroke: "var(--series-2)", dash: "6 3" },
  { stroke: "var(--series-3)", dash: "2 3" },
  { stroke: "var(--series-4)", dash: "10 3 2 3" },
  { stroke: "var(--series-5)", dash: "1 2" },
];

/** What the y axis plots: the state object's field, or the state itself when it is a number. */
export const stateAxisLabel = (series: Pick<StateSeries, "field">): string => (series.field ? `state.${series.field}` : "state value");

/** The numeric state of the top keys over the retained batches (at most 1,000, kept by the server); no animation while live. */
export function StateChart({ series }: { series: StateSeries }) {
  if (series.keys.length === 0) return <p className="muted">No numeric state to chart.</p>;
  const data = series.points.map((p) => ({ ...p.values, __t: p.batchTimeMs }));
  const label = stateAxisLabel(series);
  return (
    <figure className="state-chart" data-testid="state-chart" aria-label={`Top keys over time: ${label}`}>
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={data} margin={{ top: 8, right: 14, bottom: 0, left: 10 }}>
          <CartesianGrid stroke="var(--line)" strokeDasharray="2 3" />
          <XAxis dataKey="__t" type="number" domain={["dataMin", "dataMax"]} tickFormatter={formatTick} stroke="var(--muted)" fontSize={11} minTickGap={24} />
          <YAxis
            tickFormatter={formatTickNumber}
            stroke="var(--muted)"
            fontSize={11}
            width={64}
            label={{ value: label, angle: -90, position: "insideLeft", offset: -4, fill: "var(--muted)", fontSize: 11, style: { textAnchor: "middle" } }}
          />
          <Tooltip
            isAnimationActive={false}
            labelFormatter={(t) => `Batch ${formatBatchTime(Number(t))}`}
            formatter={(v, name) => [`${formatNumber(Number(v))} (${String(v)})`, `${String(name)} · ${label}`]}
            contentStyle={{ background: "var(--panel)", border: "1px solid var(--line)", fontSize: 12 }}
          />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {series.keys.map((k, i) => (
            <Line
              key={k}
              // A function, not the key as a path: state keys may hold dots.
              dataKey={(d: Record<string, number | undefined>) => d[k]}
              name={k}
              type="linear"
              stroke={SERIES[i % SERIES.length].stroke}
              strokeDasharray={SERIES[i % SERIES.length].dash}
              strokeWidth={2}
              dot={false}
              connectNulls
              isAnimationActive={false}
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}
