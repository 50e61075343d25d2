import "./sources.css";
import type { RunStatus, SourcesView } from "@/server/runs/types";
import { formatCount } from "./format";

const rateText = (r: number | null) => (r === null ? "unlimited" : `${formatCount(Math.round(r))} records/s`);

/**
 * Rate control of the run's receiver sources (shown for every receiver, limited or not): the rate allowed now (the source's maximum, or
 * backpressure's PID estimate under it), and the input waiting for a batch with room, which is
 * what piles up while the run is paused.
 */
export function RatePanel({ sources, status }: { sources: SourcesView | undefined; status: RunStatus }) {
  const rates = sources?.rates ?? [];
  if (rates.length === 0) return null;
  const waiting = rates.reduce((n, r) => n + r.waiting, 0);
  return (
    <section className="dash-section" aria-label="Rate control" data-testid="rate-panel">
      <h2>Rate control</h2>
      {status === "paused" && (
        <p className="run-notice" data-testid="paused-waiting">
          Paused: <strong>{formatCount(waiting)}</strong> input records waiting.
        </p>
      )}
      <div className="sources-scroll">
        <table className="dash-table">
          <thead>
            <tr>
              <th>Source</th>
              <th className="num">Allowed rate</th>
              <th className="num">Maximum rate</th>
              <th>Backpressure</th>
              <th className="num">Estimated rate</th>
              <th className="num">Input waiting</th>
            </tr>
          </thead>
          <tbody>
            {rates.map((r) => (
              <tr key={r.streamId} data-testid="rate-row">
                <td>
                  <code>{r.streamId}</code> <span className="muted small">{r.receiverName}</span>
                </td>
                <td className="num" data-testid="allowed-rate">
                  {rateText(r.rate)}
                </td>
                <td className="num">{r.maxRate === null ? "none" : rateText(r.maxRate)}</td>
                <td>{r.backpressure ? "on" : "off"}</td>
                <td className="num">{r.estimatedRate === null ? (r.backpressure ? "not yet" : "—") : rateText(r.estimatedRate)}</td>
                <td className="num" data-testid="input-waiting">
                  {formatCount(r.waiting)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
