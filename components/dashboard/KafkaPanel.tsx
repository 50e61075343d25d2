import "./sources.css";
import { lagTrend } from "@/server/runs/aggregate/sources";
import type { SourcesView } from "@/server/runs/types";
import { formatCount } from "./format";
import { LagSparkline } from "./LagSparkline";

const TREND_TEXT = { growing: "▲ growing", shrinking: "▼ shrinking", steady: "steady" } as const;

/**
 * Kafka sources: per topic partition, the group's committed offset, the end (latest) offset, the
 * lag between them and its recent trend (read with Kafka's admin API about once a second).
 */
export function KafkaPanel({ sources }: { sources: SourcesView | undefined }) {
  const kafka = sources?.kafka ?? [];
  if (kafka.length === 0) return null;
  return (
    <section className="dash-section" aria-label="Kafka" data-testid="kafka-panel">
      <h2>Kafka</h2>
      {kafka.map((k) => (
        <div key={k.streamId} className="kafka-source">
          <p className="muted small">
            <code>{k.streamId}</code> · group <code>{k.groupId}</code> · topics {k.topics.join(", ")}
          </p>
          {k.error && (
            <p className="error-text" role="alert">
              {k.error}
            </p>
          )}
          <div className="sources-scroll">
            <table className="dash-table" data-testid="kafka-partitions">
              <thead>
                <tr>
                  <th>Topic</th>
                  <th className="num">Partition</th>
                  <th className="num">Committed offset</th>
                  <th className="num">End offset</th>
                  <th className="num">Lag</th>
                  <th>Trend</th>
                </tr>
              </thead>
              <tbody>
                {k.partitions.map((p) => {
                  const trend = lagTrend(p.lagHistory);
                  return (
                    <tr key={`${p.topic}:${p.partition}`} data-testid="kafka-partition">
                      <td>{p.topic}</td>
                      <td className="num">{p.partition}</td>
                      <td className="num">{p.committed === null ? "none" : formatCount(p.committed)}</td>
                      <td className="num">{formatCount(p.end)}</td>
                      <td className="num" data-testid="kafka-lag">
                        {formatCount(p.lag)}
                      </td>
                      <td data-trend={trend}>
                        <LagSparkline history={p.lagHistory} /> {TREND_TEXT[trend]}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </div>
      ))}
    </section>
  );
}
