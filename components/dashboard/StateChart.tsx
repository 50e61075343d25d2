"use client";

import { useMemo } from "react";
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
  const label = stateAxisLabel(series);
  const yLabel = useMemo(
    () => ({ value: label, angle: -90, position: "insideLeft", offset: -4, fill: "var(--muted)", fontSize: 11, style: { textAnchor: "middle" } }) as const,
    [label],
  );
  if (series.keys.length === 0) return <p className="muted">No numeric state to chart.</p>;
  // Series under synthetic keys (s0, s1, ...): state keys may hold dots, and a dataKey function
  // made each render would be a new prop every time.
  const data = series.points.map((p) => {
    const row: Record<string, number | undefined> = { __t: p.batchTimeMs };
    series.keys.forEach((k, i) => (row[`s${i}`] = p.values[k]));
    return row;
  });
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
            label={yLabel}
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
              dataKey={`s${i}`}
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
