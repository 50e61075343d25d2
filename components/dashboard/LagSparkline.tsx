import type { LagSample } from "@/server/runs/types";

/** A partition's recent lag as a small line, with its first and last values for screen readers. */
export function LagSparkline({ history, width = 120, height = 24 }: { history: readonly LagSample[]; width?: number; height?: number }) {
  if (history.length < 2) return <span className="muted">—</span>;
  const max = Math.max(1, ...history.map((s) => s.lag));
  const t0 = history[0].timeMs;
  const span = Math.max(1, history[history.length - 1].timeMs - t0);
  const points = history.map((s) => `${(((s.timeMs - t0) / span) * (width - 2) + 1).toFixed(1)},${(height - 1 - (s.lag / max) * (height - 2)).toFixed(1)}`).join(" ");
  return (
    <svg width={width} height={height} role="img" aria-label={`lag from ${history[0].lag} to ${history[history.length - 1].lag} records`} className="lag-sparkline">
      <polyline points={points} fill="none" stroke="currentColor" strokeWidth={1.5} />
    </svg>
  );
}
