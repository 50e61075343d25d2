import type { BatchReplay } from "@/engine/replay/types";
import { formatBatchTime } from "../format";
import { RecordChanges } from "./RecordList";
import { ReplayMessages } from "./ReplayMessages";

/** One batch run again: each output's records from the run's document beside the pipeline's now, and the difference. */
export function BatchReplayView({ replay: r, onClose }: { replay: BatchReplay; onClose: () => void }) {
  return (
    <div data-testid="batch-replay">
      <h3>
        Batch at {formatBatchTime(r.batchTimeMs)} run again{" "}
        <button type="button" className="dash-button" onClick={onClose}>
          Close
        </button>
      </h3>
      <p className="muted">
        Its recorded input, through the run&apos;s document (before) and the pipeline as the editor has it (after). Windows and state are rebuilt by replaying the
        recorded batches before it, from the run&apos;s first batch.
      </p>
      <ReplayMessages errors={r.errors} notes={r.notes} />
      {r.outputs.map((o) => (
        <div key={o.nodeId} className="replay-output" data-testid={`batch-replay-output-${o.nodeId}`}>
          <h3>
            <code>{o.nodeId}</code> {o.label}
            {o.only && <small className="muted"> only in {o.only === "before" ? "the run's document" : "the pipeline now"}</small>}
          </h3>
          <div className="replay-sides">
            {(
              [
                ["before", "Before (the run's document)", o.before, o.beforeCount],
                ["after", "After (the pipeline now)", o.after, o.afterCount],
              ] as const
            ).map(([side, title, records, count]) => (
              <div key={side}>
                <h4>
                  {title} <small className="muted">{count} records</small>
                </h4>
                <pre className="console" tabIndex={0} aria-label={`${title}: ${o.nodeId}`} data-testid={`batch-replay-${side}-${o.nodeId}`}>
                  {records.length === 0 ? "(no records)" : records.join("\n")}
                  {count > records.length ? `\n… ${count - records.length} more` : ""}
                </pre>
              </div>
            ))}
          </div>
          <RecordChanges added={o.added} removed={o.removed} label={`Changes of ${o.nodeId}`} />
        </div>
      ))}
    </div>
  );
}
