"use client";

import type { FlagReport } from "@/server/runs/types";
import { formatBatchTime, formatCount } from "./format";
import { usePagedRecords } from "./live/usePagedRecords";

const num = (n: number | null) => (n === null || !Number.isFinite(n) ? "—" : n.toFixed(2));

/** Possible frauds of the run's fraud flags outputs: the account, which rule, and the averages compared. */
export function FlagsPanel(props: { runId: string; refreshKey: number; liveKey: string; onSelectBatch: (t: number) => void }) {
  const { items, total, hasOlder, loadOlder, error } = usePagedRecords<FlagReport>(props.runId, "flags", props.refreshKey, props.liveKey);
  if (items.length === 0 && !error) return null;
  return (
    <section className="dash-section" aria-label="Fraud flags">
      <h2>
        Fraud flags <small>{formatCount(total)} flagged, newest first</small>
      </h2>
      {error && <p className="error-text">{error}</p>}
      <div className="dash-scroll">
        <table className="dash-table" data-testid="fraud-flags">
          <thead>
            <tr>
              <th>Batch</th>
              <th>Account</th>
              <th>Rule</th>
              <th className="num">averageTx</th>
              <th className="num">windowSpendingAvg</th>
              <th className="num">Historic avg</th>
              <th className="num">Amount</th>
              <th className="num">Threshold</th>
              <th>Transactions</th>
            </tr>
          </thead>
          <tbody>
            {items.map(({ id, item: { flag, batchTimeMs } }) => (
              <tr key={id} data-clickable onClick={() => props.onSelectBatch(batchTimeMs)}>
                <td>{formatBatchTime(batchTimeMs)}</td>
                <td>
                  <code>{flag.account}</code>
                </td>
                <td>{flag.rule}</td>
                <td className="num">{num(flag.averageTx)}</td>
                <td className="num">{num(flag.windowSpendingAvg)}</td>
                <td className="num">{num(flag.historicAvg)}</td>
                <td className="num">{num(flag.amount)}</td>
                <td className="num">{num(flag.threshold)}</td>
                <td className="sample">{flag.txIds.join(", ")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {hasOlder && (
        <button type="button" className="dash-button" onClick={loadOlder}>
          Older
        </button>
      )}
    </section>
  );
}
