import type { BatchSummary, NodeErrorReport, PrintedBatch } from "@/server/runs/types";
import { formatBatchTime, formatCount, formatDuration, roundNumbersInText } from "./format";
import { OffsetRanges } from "./OffsetRanges";

export interface BatchDetailsProps {
  batch: BatchSummary;
  batchIntervalMs: number;
  printed: readonly PrintedBatch[];
  nodeErrors: readonly NodeErrorReport[];
  onClose: () => void;
}

/** "Details of batch at T": timing, input per source, records and samples per stream, windows, output, errors. */
export function BatchDetails({ batch: b, batchIntervalMs, printed, nodeErrors, onClose }: BatchDetailsProps) {
  const streams = Object.entries(b.streamCounts).sort(([x], [y]) => x.localeCompare(y));
  const output = printed.filter((p) => p.batchTimeMs === b.batchTimeMs);
  const errors = nodeErrors.filter((e) => e.batchTimeMs === b.batchTimeMs);
  return (
    <section className="dash-section" aria-label={`Details of batch at ${formatBatchTime(b.batchTimeMs)}`} data-testid="batch-details">
      <h2>
        Details of batch at {formatBatchTime(b.batchTimeMs)}
        <small>
          <button type="button" className="dash-button" onClick={onClose}>
            Close
          </button>
        </small>
      </h2>
      <dl className="details-grid">
        <dt>Batch duration</dt>
        <dd>{formatDuration(batchIntervalMs)}</dd>
        <dt>Status</dt>
        <dd>{b.status}</dd>
        <dt>Input size</dt>
        <dd>
          {formatCount(b.numRecords)} records
          {Object.keys(b.inputSize).length > 1 &&
            ` (${Object.entries(b.inputSize)
              .map(([id, n]) => `${id}: ${formatCount(n)}`)
              .join(", ")})`}
        </dd>
        <dt>Scheduling delay</dt>
        <dd>{formatDuration(b.schedulingDelayMs)}</dd>
        <dt>Processing time</dt>
        <dd>{formatDuration(b.processingTimeMs)}</dd>
        <dt>Total delay</dt>
        <dd>{formatDuration(b.totalDelayMs)}</dd>
        <dt>Output operations</dt>
        <dd>
          {b.numOutputOps - b.numFailedOutputOps} succeeded of {b.numOutputOps}
        </dd>
      </dl>

      {b.offsetRanges && <OffsetRanges ranges={b.offsetRanges} />}

      {(b.errors.length > 0 || errors.length > 0) && (
        <>
          <h3>Errors</h3>
          {b.errors.map((e, i) => (
            <p key={`o${i}`} className="error-text">
              {e}
            </p>
          ))}
          {errors.map((e, i) => (
            <p key={`n${i}`} className="error-text">
              node {e.nodeId}
              {e.field ? ` (${e.field})` : ""}: {e.message}
              {e.record ? ` — record ${e.record}` : ""}
            </p>
          ))}
        </>
      )}

      <h3>Records per stream</h3>
      {streams.length === 0 ? (
        <p className="muted">No stream computed in this batch.</p>
      ) : (
        <table className="dash-table batch-streams" data-testid="batch-streams">
          <thead>
            <tr>
              <th>Stream</th>
              <th className="num">Records</th>
              <th>First records</th>
            </tr>
          </thead>
          <tbody>
            {streams.map(([id, n]) => (
              <tr key={id}>
                <td>
                  <code>{id}</code>
                  {b.streamNames?.[id] && <span className="muted"> {b.streamNames[id]}</span>}
                </td>
                <td className="num">{formatCount(n)}</td>
                <td className="sample" title={b.samples?.[id]?.slice(0, 5).join("\n")}>
                  {b.samples?.[id] ? roundNumbersInText(b.samples[id].slice(0, 5).join("\n")) : <span className="muted">(not kept for older batches)</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      {b.windows && b.windows.length > 0 && (
        <>
          <h3>Windows computed</h3>
          <ul>
            {b.windows.map((w) => (
              <li key={w.streamId}>
                <code>{w.streamId}</code>: ({formatBatchTime(w.windowStartMs)}, {formatBatchTime(w.windowEndMs)}] over {w.coveredTimesMs.length} batches
              </li>
            ))}
          </ul>
        </>
      )}

      {output.length > 0 && (
        <>
          <h3>Output</h3>
          {output.map((p) => (
            <pre key={p.nodeId} className="console" tabIndex={0} aria-label={`Output of ${p.nodeId}`} title={p.lines.join("\n")}>
              <span className="src">{`# ${p.nodeId}\n`}</span>
              {roundNumbersInText(p.lines.join("\n"))}
            </pre>
          ))}
        </>
      )}
    </section>
  );
}
