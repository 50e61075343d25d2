import { describe, expect, it } from "vitest";
import { BatchLog } from "@/server/runs/BatchLog";
import { streamTail, streamsOfNode, wireStats } from "@/server/runs/aggregate/streams";
import { batchEvents } from "./events";

describe("records on every wire", () => {
  const log = new BatchLog();
  batchEvents(1000, { streams: { "parse:out": [1, 2, 3], "count:out": [3] } }).forEach((e) => log.apply(e));
  batchEvents(2000, { streams: { "parse:out": [4] } }).forEach((e) => log.apply(e));

  it("gives each stream id its newest count and mean count per batch", () => {
    const stats = wireStats(log.list());
    expect(stats.get("parse:out")).toMatchObject({ lastCount: 1, lastBatchTimeMs: 2000, avgCount: 2, batches: 2, streamName: "parseDStream" });
    expect(stats.get("count:out")).toMatchObject({ lastCount: 1, lastBatchTimeMs: 1000, batches: 1 });
  });

  it("tails a stream's sampled records per batch, newest last, capped", () => {
    expect(streamTail(log.list(), "parse:out")).toEqual([
      { batchTimeMs: 1000, count: 3, records: ["1", "2", "3"] },
      { batchTimeMs: 2000, count: 1, records: ["4"] },
    ]);
    expect(streamTail(log.list(), "parse:out", 1).map((e) => e.batchTimeMs)).toEqual([2000]);
    expect(streamTail(log.list(), "nothing:out")).toEqual([]);
  });

  it("finds a node's output streams by the <nodeId>:<port> convention", () => {
    expect(streamsOfNode(["parse:out", "parse:deadLetters", "parser:out"], "parse")).toEqual(["parse:deadLetters", "parse:out"]);
  });
});
