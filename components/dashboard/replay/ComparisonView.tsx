import type { ReplayComparison } from "@/engine/replay/types";
import { formatBatchTime } from "../format";
import { RecordChanges } from "./RecordList";
import { ReplayMessages } from "./ReplayMessages";

/** Per output, per batch, what the edited pipeline's outputs add and remove compared with the run's. */
export function ComparisonView({ comparison: c }: { comparison: ReplayComparison }) {
  return (
    <div data-testid="replay-comparison">
      <p data-testid="replay-verdict" className={c.differences === 0 ? undefined : "replay-changed"}>
        {c.differences === 0
          ? `No differences: every output received the same records in all ${c.batchTimesMs.length} batches.`
          : `${c.differences} output batch${c.differences === 1 ? "" : "es"} changed over ${c.batchTimesMs.length} replayed batches.`}
      </p>
      <ReplayMessages errors={c.errors} notes={c.notes} />
      {c.outputs.map((o) => (
        <div key={o.nodeId} className="replay-output" data-testid={`replay-output-${o.nodeId}`}>
          <h3>
            <code>{o.nodeId}</code> {o.label}{" "}
            <small className="muted">
              {o.only
                ? `only in ${o.only === "before" ? "the run's document" : "the pipeline now"}`
                : o.changed.length === 0
                  ? `no change in ${o.unchanged} batches`
                  : `${o.changed.length} of ${o.changed.length + o.unchanged} batches changed`}
            </small>
          </h3>
          {o.changed.length > 0 && (
            <table className="dash-table replay-table">
              <thead>
                <tr>
                  <th>Batch</th>
                  <th className="num">Before</th>
                  <th className="num">After</th>
                  <th>Added and removed records</th>
                </tr>
              </thead>
              <tbody>
                {o.changed.map((b) => (
                  <tr key={b.batchTimeMs} data-batch-time={b.batchTimeMs}>
                    <td>{formatBatchTime(b.batchTimeMs)}</td>
                    <td className="num">{b.beforeCount}</td>
                    <td className="num">{b.afterCount}</td>
                    <td>
                      <RecordChanges added={b.added} removed={b.removed} label={`Changes of ${o.nodeId} at ${formatBatchTime(b.batchTimeMs)}`} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      ))}
    </div>
  );
}
