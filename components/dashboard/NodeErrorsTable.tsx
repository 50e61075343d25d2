import type { NodeErrorReport } from "@/server/runs/types";
import { formatBatchTime } from "./format";

/** Records that a node's function failed on, with the node, the field and the record; absent when there are none. */
export function NodeErrorsTable({ errors, onSelectBatch }: { errors: readonly NodeErrorReport[]; onSelectBatch: (t: number) => void }) {
  if (errors.length === 0) return null;
  return (
    <section className="dash-section" aria-label="Node errors">
      <h2>
        Node errors <small>{errors.length} most recent, newest first</small>
      </h2>
      <div className="dash-scroll">
        <table className="dash-table" data-testid="node-errors">
          <thead>
            <tr>
              <th>Batch</th>
              <th>Node</th>
              <th>Error</th>
              <th>Record</th>
            </tr>
          </thead>
          <tbody>
            {[...errors].reverse().map((e, i) => (
              <tr key={i} data-clickable={e.batchTimeMs !== undefined ? true : undefined} onClick={() => e.batchTimeMs !== undefined && onSelectBatch(e.batchTimeMs)}>
                <td>{e.batchTimeMs !== undefined ? formatBatchTime(e.batchTimeMs) : "—"}</td>
                <td>
                  <code>{e.nodeId}</code>
                  {e.field && <span className="muted"> · {e.field}</span>}
                </td>
                <td className="error-text" style={{ whiteSpace: "normal" }}>
                  {e.message}
                </td>
                <td className="sample">{e.record ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
