"use client";

import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { StateSeries } from "@/server/runs/state/types";
import { formatBatchTime, formatCompact, formatTick } from "./format";

const COLOURS = ["var(--accent)", "var(--ok)", "var(--warn)", "var(--bad)", "var(--muted)"];

/** The numeric state of the top keys over the retained batches (at most 1,000, kept by the server); no animation while live. */
export function StateChart({ series }: { series: StateSeries }) {
  if (series.keys.length === 0) return <p className="muted">No numeric state to chart.</p>;
  const data = series.points.map((p) => ({ t: p.batchTimeMs, ...p.values }));
  return (
    <div style={{ height: 200 }} data-testid="state-chart">
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={data} margin={{ top: 6, right: 12, bottom: 0, left: 0 }}>
          <CartesianGrid stroke="var(--line)" strokeDasharray="2 3" />
          <XAxis dataKey="t" type="number" domain={["dataMin", "dataMax"]} tickFormatter={formatTick} stroke="var(--muted)" fontSize={11} />
          <YAxis tickFormatter={formatCompact} stroke="var(--muted)" fontSize={11} width={48} />
          <Tooltip
            isAnimationActive={false}
            labelFormatter={(t) => `Batch ${formatBatchTime(Number(t))}`}
            contentStyle={{ background: "var(--panel)", border: "1px solid var(--line)", fontSize: 12 }}
          />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {series.keys.map((k, i) => (
            <Line key={k} dataKey={k} name={k} type="linear" stroke={COLOURS[i % COLOURS.length]} dot={false} connectNulls isAnimationActive={false} />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
