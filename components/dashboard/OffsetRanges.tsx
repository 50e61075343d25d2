import type { OffsetRangeView } from "@/server/runs/types";
import { formatCount } from "./format";

/** A batch's Kafka offset ranges per input stream, as Spark's batch page shows the direct stream's. */
export function OffsetRanges({ ranges }: { ranges: Record<string, OffsetRangeView[]> }) {
  const rows = Object.entries(ranges).flatMap(([streamId, rs]) => rs.map((r) => ({ streamId, ...r })));
  return (
    <>
      <h3>Kafka offset ranges</h3>
      {rows.length === 0 ? (
        <p className="muted">No Kafka records in this batch.</p>
      ) : (
        <table className="dash-table" data-testid="batch-offset-ranges">
          <thead>
            <tr>
              <th>Stream</th>
              <th>Topic</th>
              <th className="num">Partition</th>
              <th className="num">From offset</th>
              <th className="num">Until offset</th>
              <th className="num">Records</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={`${r.streamId}:${r.topic}:${r.partition}`}>
                <td>
                  <code>{r.streamId}</code>
                </td>
                <td>{r.topic}</td>
                <td className="num">{r.partition}</td>
                <td className="num">{r.fromOffset}</td>
                <td className="num">{r.untilOffset}</td>
                <td className="num">{formatCount(r.untilOffset - r.fromOffset)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
