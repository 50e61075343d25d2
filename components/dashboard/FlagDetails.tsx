"use client";

import type { StoredItem } from "@/server/runs/RunStore";
import type { BatchSummary, FlagReport } from "@/server/runs/types";
import { explainFlag, firedField, formatAmount, windowBatchTimes } from "./flagText";
import { formatBatchTime, formatCount } from "./format";

export interface FlagDetailsProps {
  stored: StoredItem<FlagReport>;
  batchIntervalMs: number;
  /** The batches the dashboard still holds; older ones cannot be opened. */
  batches: readonly BatchSummary[];
  onSelectBatch: (t: number) => void;
  onClose: () => void;
}

/**
 * The trace of one flag: the comparison that fired, the window and the batches it covered (each
 * opens in the dashboard), and the transactions behind it.
 */
export function FlagDetails({ stored, batchIntervalMs, batches, onSelectBatch, onClose }: FlagDetailsProps) {
  const { flag, nodeId } = stored.item;
  const byTime = new Map(batches.map((b) => [b.batchTimeMs, b]));
  const times = windowBatchTimes(flag, batchIntervalMs);
  const transactions = flag.transactions ?? [];
  const amountRule = firedField(flag) === "amount";
  return (
    <div className="flag-details" data-testid="flag-details" aria-label={`Flag ${stored.id} of account ${flag.account}`}>
      <h3>
        Flag #{stored.id}: <code>{flag.account}</code>, rule {flag.rule}
        <button type="button" className="dash-button" onClick={onClose}>
          Close
        </button>
      </h3>
      <dl className="details-grid">
        <dt>Why</dt>
        <dd data-testid="flag-explanation">{explainFlag(flag)}</dd>
        <dt>Raised by</dt>
        <dd>
          node <code>{nodeId}</code> in the batch of {formatBatchTime(flag.batchTimeMs)}
        </dd>
        <dt>Window</dt>
        <dd>{flag.window ? `(${formatBatchTime(flag.window.startMs)}, ${formatBatchTime(flag.window.endMs)}]` : "its own batch (the stream is not windowed)"}</dd>
        <dt>Batches</dt>
        <dd className="flag-batches">
          {times.map((t) => {
            const b = byTime.get(t);
            return b ? (
              <button key={t} type="button" className="dash-button" onClick={() => onSelectBatch(t)} title="Open this batch's details">
                {formatBatchTime(t)} · {formatCount(b.numRecords)} records
              </button>
            ) : (
              <span key={t} className="muted" title="The dashboard no longer holds this batch">
                {formatBatchTime(t)}
              </span>
            );
          })}
        </dd>
      </dl>
      {transactions.length === 0 ? (
        <p className="muted">
          {flag.txIds.length === 0 ? "The rule named no transactions." : `Transaction ids: ${flag.txIds.join(", ")}.`}
        </p>
      ) : (
        <table className="dash-table" data-testid="flag-transactions">
          <thead>
            <tr>
              <th className="num">id</th>
              <th>date</th>
              <th>account_number</th>
              <th>description</th>
              <th className="num">amount</th>
            </tr>
          </thead>
          <tbody>
            {transactions.map((tx) => (
              <tr key={tx.id} data-fired={amountRule && tx.amount > flag.threshold ? "" : undefined}>
                <td className="num">{tx.id}</td>
                <td>{tx.date}</td>
                <td>
                  <code>{tx.account_number}</code>
                </td>
                <td>{tx.description}</td>
                <td className="num">{formatAmount(tx.amount)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
