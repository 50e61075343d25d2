import { describe, expect, test } from "vitest";
import { offsetRangesOf } from "../../../server/runs/BatchLog";
import { foldSources, kafkaLagSummary, lagTrend } from "../../../server/runs/aggregate/sources";
import type { SourcesReport } from "../../../server/runs/types";

const report = (timeMs: number, lags: number[], error?: string): SourcesReport => ({
  timeMs,
  rates: [{ streamId: "k:out", receiverName: "KafkaReceiver", rate: 500, maxRate: null, backpressure: true, estimatedRate: 500, waiting: lags.reduce((a, b) => a + b, 0) }],
  kafka: [
    {
      streamId: "k:out",
      groupId: "g",
      topics: ["t"],
      partitions: error ? [] : lags.map((lag, partition) => ({ topic: "t", partition, committed: 100, end: 100 + lag, lag })),
      ...(error ? { error } : {}),
    },
  ],
});

describe("source reports", () => {
  test("each partition keeps its recent lag, capped, and the trend follows it", () => {
    let view = foldSources(undefined, report(1000, [0, 0]));
    view = foldSources(view, report(2000, [50, 10]));
    view = foldSources(view, report(3000, [120, 30]), 2);
    const p0 = view.kafka[0].partitions[0];
    expect(p0.lagHistory).toEqual([
      { timeMs: 2000, lag: 50 },
      { timeMs: 3000, lag: 120 },
    ]);
    expect(lagTrend(p0.lagHistory)).toBe("growing");
    expect(kafkaLagSummary(view)).toEqual({ lag: 150, trend: "growing" });
    view = foldSources(view, report(4000, [20, 0]));
    expect(kafkaLagSummary(view)).toEqual({ lag: 20, trend: "shrinking" });
  });

  test("a failed read keeps the last partitions and says why", () => {
    let view = foldSources(undefined, report(1000, [5]));
    view = foldSources(view, report(2000, [], "could not read offsets from b:9092: timeout"));
    expect(view.kafka[0].error).toContain("could not read offsets");
    expect(view.kafka[0].partitions[0].lag).toBe(5);
    expect(kafkaLagSummary(undefined)).toBeUndefined();
  });

  test("a batch's Kafka offset ranges come from its input info; malformed ones are dropped", () => {
    const ranges = offsetRangesOf([
      { inputStreamId: 0, streamId: "k:out", numRecords: 3, metadata: { offsetRanges: [{ topic: "t", partition: 0, fromOffset: 4, untilOffset: 7 }, { topic: 1 }] } },
      { inputStreamId: 1, streamId: "gen:out", numRecords: 2, metadata: { blocks: 1 } },
    ]);
    expect(ranges).toEqual({ "k:out": [{ topic: "t", partition: 0, fromOffset: 4, untilOffset: 7 }] });
    expect(offsetRangesOf([])).toBeUndefined();
  });
});
