import { describe, expect, test } from "vitest";
import {
  defaultKafkaValue,
  KafkaReceiver,
  KafkaUtils,
  Left,
  parseBrokers,
  parseTopics,
  parseWithDeadLetters,
  Right,
  StreamingContext,
  Seconds,
  Time,
  type KafkaRecord,
  type ReceivedBlock,
} from "../../../engine/index";
import { backoffDelayMs } from "../../../engine/sources/kafka/backoff";
import { isKafkaSourcePosition, mergeOffsetRanges, OffsetTracker } from "../../../engine/sources/kafka/offsets";
import { manualContext, runBatches } from "./helpers";

const range = (topic: string, partition: number, fromOffset: number, untilOffset: number) => ({ topic, partition, fromOffset, untilOffset });
const rec = (partition: number, offset: number, value: string): KafkaRecord => ({ topic: "t", partition, offset, timestamp: 0, key: null, value });
const block = (records: KafkaRecord[]): ReceivedBlock<KafkaRecord> => ({
  batchEndMs: 1000,
  arrivalMs: 500,
  records,
  metadata: { ...range("t", records[0].partition, records[0].offset, records[records.length - 1].offset + 1) },
});

describe("Kafka addresses and topics", () => {
  test("brokers from lists or comma-separated strings; a bare host gets port 9092; localhost:9092 by default", () => {
    expect(parseBrokers(undefined)).toEqual(["localhost:9092"]);
    expect(parseBrokers("k1:9093, k2 ,")).toEqual(["k1:9093", "k2:9092"]);
    expect(parseBrokers(["[::1]:9092"])).toEqual(["[::1]:9092"]);
    expect(() => parseBrokers("")).toThrow(/at least one bootstrap broker/);
    expect(() => parseBrokers("zk:2181:x")).toThrow(/Not a Kafka broker address \(host:port\): "zk:2181:x"/);
  });
  test("topics from a name, a list or Spark's Map(topic -> threads)", () => {
    expect(parseTopics("a,b")).toEqual(["a", "b"]);
    expect(parseTopics(["a", "a"])).toEqual(["a"]);
    expect(parseTopics({ transactions: 1 })).toEqual(["transactions"]);
    expect(() => parseTopics([])).toThrow(/at least one topic/);
  });
  test("reconnect delays double up to the cap", () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((a) => backoffDelayMs(a, 500, 10_000))).toEqual([500, 1000, 2000, 4000, 8000, 10_000, 10_000]);
  });
});

describe("OffsetTracker", () => {
  test("commits only completed offsets of assigned partitions, once each", () => {
    const t = new OffsetTracker();
    t.onAssigned({ t: [0, 1] });
    t.markStored(range("t", 0, 0, 10));
    t.markStored(range("t", 1, 0, 5));
    expect(t.commitsDue()).toEqual([]);
    t.markCompleted(range("t", 0, 0, 10));
    expect(t.commitsDue()).toEqual([{ topic: "t", partition: 0, offset: 10 }]);
    t.markCommitted(t.commitsDue());
    expect(t.commitsDue()).toEqual([]);
    t.markCompleted(range("t", 0, 0, 4)); // an older range never moves the position back
    expect(t.completedOffsets()).toEqual({ t: { "0": 10 } });
  });
  test("a rejoin seeks kept partitions after what was stored, and forgets partitions that left", () => {
    const t = new OffsetTracker();
    t.onAssigned({ t: [0, 1] });
    t.markStored(range("t", 0, 0, 10));
    t.markStored(range("t", 1, 0, 7));
    expect(t.onAssigned({ t: [0] })).toEqual([{ topic: "t", partition: 0, offset: 10 }]);
    expect(t.nextToStore("t", 1)).toBeUndefined();
    expect(t.onAssigned({ t: [0, 1] })).toEqual([{ topic: "t", partition: 0, offset: 10 }]);
  });
  test("a restored position is the seek target at the first assignment only, and the position until batches complete", () => {
    const t = new OffsetTracker();
    t.restore({ kind: "kafka", groupId: "g", topics: ["t"], offsets: { t: { "0": 40, "1": 12 } } });
    expect(t.completedOffsets()).toEqual({ t: { "0": 40, "1": 12 } });
    expect(t.onAssigned({ t: [1] })).toEqual([{ topic: "t", partition: 1, offset: 12 }]);
    expect(t.onAssigned({ t: [0, 1] })).toEqual([]);
  });
  test("positions are validated; offset ranges merge per partition", () => {
    expect(isKafkaSourcePosition({ kind: "kafka", groupId: "g", topics: ["t"], offsets: { t: { "0": 3 } } })).toBe(true);
    expect(isKafkaSourcePosition({ kind: "kafka", groupId: "g", topics: ["t"], offsets: { t: { "0": -1 } } })).toBe(false);
    expect(isKafkaSourcePosition({ next: 3 })).toBe(false);
    expect(mergeOffsetRanges([range("t", 1, 5, 9), range("t", 0, 0, 3), range("t", 1, 9, 12)])).toEqual([range("t", 0, 0, 3), range("t", 1, 5, 12)]);
  });
});

describe("KafkaReceiver without a broker", () => {
  test("validates its options with clear messages", () => {
    expect(() => new KafkaReceiver({ topics: "t", groupId: " " }, 1000)).toThrow(/consumer group id/);
    expect(() => new KafkaReceiver({ topics: "t", groupId: "g", maxRecordsPerBatch: 0 }, 1000)).toThrow(/maxRecordsPerBatch must be a whole number > 0, got 0/);
    expect(new KafkaReceiver({ topics: ["a", "b"], groupId: "g" }, 1000).name).toBe("KafkaReceiver(a,b @ g)");
  });
  test("summarizes a batch's blocks as offset ranges; completed batches become the checkpoint position", () => {
    const r = new KafkaReceiver({ topics: "t", groupId: "g" }, 1000);
    r.restoreSourcePosition({ kind: "kafka", groupId: "g", topics: ["t", "other"], offsets: { t: { "0": 100 }, other: { "0": 5 } } });
    const blocks = [block([rec(0, 100, "a"), rec(0, 101, "b")]), block([rec(1, 0, "c")]), block([rec(0, 102, "d")])];
    expect(r.summarizeBlocks(blocks)).toEqual({
      blocks: 3,
      offsetRanges: [range("t", 0, 100, 103), range("t", 1, 0, 1)],
      Description: "topic: t\tpartition: 0\toffsets: 100 to 103\ntopic: t\tpartition: 1\toffsets: 0 to 1",
    });
    r.onBatchCompleted(new Time(1000), blocks);
    expect(r.getSourcePosition()).toEqual({ kind: "kafka", groupId: "g", topics: ["t"], offsets: { t: { "0": 103, "1": 1 } } });
    expect(() => r.restoreSourcePosition({ next: 1 })).toThrow(/Not a Kafka source position/);
  });
  test("KafkaUtils.createStream names its input after the topics and refuses bad arguments before start", () => {
    const ssc = new StreamingContext(Seconds(1));
    const pairs = KafkaUtils.createStream(ssc, "localhost:9092", "transactions-group", { transactions: 1 });
    expect(pairs.ssc.graph.getInputStreams().map((s) => s.name)).toEqual(["Kafka(transactions)"]);
    expect(() => KafkaUtils.createStream(ssc, "localhost:2181:1", "g", "t")).toThrow(/Not a Kafka broker address/);
  });
});

describe("dead letters and the sink's default value", () => {
  test("parseWithDeadLetters keeps unparsable records with their error, and a throwing parser counts as Left", async () => {
    const { ssc, clock } = manualContext();
    const input = ssc.queueStream([ssc.sc.makeRDD(["1", "x", "3", "boom"], 2)]);
    const { parsed, deadLetters } = parseWithDeadLetters(input, (s: string) => {
      if (s === "boom") throw new Error("exploded");
      const n = Number(s);
      return Number.isNaN(n) ? Left(`"${s}" is not a number`) : Right(n);
    });
    const good: number[] = [];
    const dead: unknown[] = [];
    parsed.foreachRDD((rdd) => void good.push(...rdd.collect()));
    deadLetters.foreachRDD((rdd) => void dead.push(...rdd.collect()));
    ssc.start();
    await runBatches(ssc, clock, 1);
    await ssc.stop();
    expect(good).toEqual([1, 3]);
    expect(dead).toEqual([
      { record: "x", error: '"x" is not a number' },
      { record: "boom", error: "exploded" },
    ]);
  });
  test("the sink writes strings and Buffers as they are and anything else as JSON", () => {
    expect(defaultKafkaValue("a,b")).toBe("a,b");
    expect(defaultKafkaValue({ id: 1, n: 2n })).toBe('{"id":1,"n":"2"}');
    expect(defaultKafkaValue(["k", 3])).toBe('["k",3]');
    expect(defaultKafkaValue(null)).toBeNull();
  });
});
