"use client";

import type { DeadLetterReport } from "@/server/runs/types";
import { formatBatchTime, formatCount } from "./format";
import { usePagedRecords } from "./live/usePagedRecords";

/** The error a dead letter carries, when it is `{ ..., error }` JSON (the CSV parser's shape). */
function errorOf(record: string): string | undefined {
  try {
    const parsed = JSON.parse(record) as { error?: unknown };
    return typeof parsed.error === "string" ? parsed.error : undefined;
  } catch {
    return undefined;
  }
}

/** Unparsable records of the run's dead-letter outputs, with their error; persisted, so they survive a restart. */
export function DeadLettersPanel(props: { runId: string; refreshKey: number; liveKey: string; onSelectBatch: (t: number) => void }) {
  const { items, total, hasOlder, loadOlder, error } = usePagedRecords<DeadLetterReport>(props.runId, "dead-letters", props.refreshKey, props.liveKey);
  if (items.length === 0 && !error) return null;
  return (
    <section className="dash-section" aria-label="Dead letters">
      <h2>
        Dead letters <small>{formatCount(total)} unparsable records, newest first</small>
      </h2>
      {error && <p className="error-text">{error}</p>}
      <div className="dash-scroll">
        <table className="dash-table" data-testid="dead-letters">
          <thead>
            <tr>
              <th>Batch</th>
              <th>Node</th>
              <th>Error</th>
              <th>Record</th>
            </tr>
          </thead>
          <tbody>
            {items.map(({ id, item }) => (
              <tr key={id} data-clickable onClick={() => props.onSelectBatch(item.batchTimeMs)}>
                <td>{formatBatchTime(item.batchTimeMs)}</td>
                <td>
                  <code>{item.nodeId}</code>
                </td>
                <td className="error-text">{errorOf(item.record) ?? "—"}</td>
                <td className="sample">{item.record}</td>
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
