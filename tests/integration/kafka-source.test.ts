// The Kafka source and sink against the test broker: 10,000 produced transactions counted exactly
// once with their offsets committed after their batches, [key, value] pairs and full records,
// dead letters for malformed lines, and the sink's round trip. Behaviour only, never timing.
import { afterEach, beforeAll, afterAll, describe, expect, it } from "vitest";
import type { Kafka, Producer } from "kafkajs";
import {
  KafkaUtils,
  kafkaSink,
  Milliseconds,
  parseWithDeadLetters,
  StreamingContext,
  type KafkaRecord,
  type ReceiverEvent,
  type StreamingEvent,
} from "../../engine/index";
import { parseTransactionLine } from "../../engine/pipeline/catalog/article";
import { formatTransactionLine, randomTransaction, seededRandom } from "../../engine/sources/transactionLog";
import { connectedProducer, createTopic, kafkaBootstrap, readTopic, testKafka, uniqueTopic, waitFor } from "./setup/kafka";

let kafka: Kafka;
let producer: Producer;
const open: StreamingContext[] = [];

beforeAll(async () => {
  kafka = testKafka("kafka-source-test");
  producer = await connectedProducer(kafka);
});
afterAll(async () => {
  await producer?.disconnect();
});
afterEach(async () => {
  for (const ssc of open.splice(0)) await ssc.stop();
});

/** `count` seeded random transaction lines. */
function transactions(count: number, seed = 7): string[] {
  const random = seededRandom(seed);
  const date = new Date(2024, 0, 15);
  return Array.from({ length: count }, (_, i) => formatTransactionLine(randomTransaction(i, random), date));
}

async function produce(topic: string, values: readonly string[], partitions = 1): Promise<void> {
  for (let i = 0; i < values.length; i += 2000) {
    const chunk = values.slice(i, i + 2000);
    await producer.send({ topic, messages: chunk.map((value, j) => ({ value, partition: (i + j) % partitions })) });
  }
}

function context(batchMs = 200): { ssc: StreamingContext; events: StreamingEvent[] } {
  const ssc = new StreamingContext(Milliseconds(batchMs));
  const events: StreamingEvent[] = [];
  ssc.addStreamingListener((e) => events.push(e));
  open.push(ssc);
  return { ssc, events };
}

async function committedOffsets(groupId: string, topic: string): Promise<Record<number, string>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [t] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return Object.fromEntries(t.partitions.map((p) => [p.partition, p.offset]));
  } finally {
    await admin.disconnect();
  }
}

describe("Kafka source", () => {
  it("reads 10,000 produced transactions, counts exactly 10,000 and commits their offsets after the batches", async () => {
    const topic = uniqueTopic("tx10k");
    const groupId = uniqueTopic("tx10k-group");
    await createTopic(kafka, topic, 2);
    await produce(topic, transactions(10_000), 2);

    const { ssc, events } = context();
    const stream = KafkaUtils.createDirectStream(ssc, { brokers: kafkaBootstrap(), topics: topic, groupId, startingOffsets: "earliest" });
    let counted = 0;
    const seen = new Set<string>();
    const perAccount = new Map<string, number>();
    stream
      .map((r) => parseTransactionLine(r.value))
      .flatMap((p) => (p.ok ? [p.value] : []))
      .map((t): [string, number] => [t.account_number, 1])
      .reduceByKey((a, b) => a + b)
      .foreachRDD((rdd) => {
        for (const [account, n] of rdd.collect()) {
          perAccount.set(account, (perAccount.get(account) ?? 0) + n);
          counted += n;
        }
      });
    stream.foreachRDD((rdd) => {
      for (const r of rdd.collect()) seen.add(`${r.partition}:${r.offset}`);
    });
    ssc.start();
    await waitFor(() => counted >= 10_000, "10,000 transactions counted");
    await ssc.stop({ stopGracefully: true });

    expect(counted).toBe(10_000);
    expect(seen.size).toBe(10_000);
    expect([...perAccount.values()].reduce((a, b) => a + b, 0)).toBe(10_000);
    expect(await committedOffsets(groupId, topic)).toEqual({ 0: "5000", 1: "5000" });
    // Every batch says which offsets it held: together, both partitions from 0 to 5000, no gap or overlap.
    const ranges = events.flatMap((e) => (e.type === "batchSubmitted" ? e.inputInfo.flatMap((i) => (i.metadata.offsetRanges ?? []) as { partition: number; fromOffset: number; untilOffset: number }[]) : []));
    for (const p of [0, 1]) {
      const mine = ranges.filter((r) => r.partition === p).sort((a, b) => a.fromOffset - b.fromOffset);
      expect(mine[0].fromOffset).toBe(0);
      expect(mine[mine.length - 1].untilOffset).toBe(5000);
      for (let i = 1; i < mine.length; i++) expect(mine[i].fromOffset).toBe(mine[i - 1].untilOffset);
    }
  });

  it("createStream gives [key, value] pairs; the direct stream gives full records", async () => {
    const topic = uniqueTopic("pairs");
    await createTopic(kafka, topic, 1);
    const before = Date.now();
    await producer.send({ topic, messages: [{ key: "k1", value: "v1" }, { value: "no key" }, { key: "k3", value: "v3" }] });

    const { ssc } = context();
    const pairs: [string | null, string | null][] = [];
    const records: KafkaRecord[] = [];
    KafkaUtils.createStream(ssc, kafkaBootstrap(), uniqueTopic("pairs-a"), { [topic]: 1 }, { startingOffsets: "earliest" }).foreachRDD((rdd) => void pairs.push(...rdd.collect()));
    KafkaUtils.createDirectStream(ssc, { brokers: [kafkaBootstrap()], topics: [topic], groupId: uniqueTopic("pairs-b"), startingOffsets: "earliest" }).foreachRDD((rdd) => void records.push(...rdd.collect()));
    ssc.start();
    await waitFor(() => pairs.length >= 3 && records.length >= 3, "three pairs and three records");
    expect(pairs).toEqual([["k1", "v1"], [null, "no key"], ["k3", "v3"]]);
    expect(records.map(({ timestamp: _t, ...r }) => r)).toEqual([
      { topic, partition: 0, offset: 0, key: "k1", value: "v1" },
      { topic, partition: 0, offset: 1, key: null, value: "no key" },
      { topic, partition: 0, offset: 2, key: "k3", value: "v3" },
    ]);
    expect(records.every((r) => r.timestamp >= before - 60_000 && Number.isInteger(r.timestamp))).toBe(true);
  });

  it("starts from the end of the topic with startingOffsets latest", async () => {
    const topic = uniqueTopic("latest");
    await createTopic(kafka, topic, 1);
    await produce(topic, ["old-1", "old-2"]);
    const { ssc } = context();
    const stream = KafkaUtils.createDirectStream(ssc, { brokers: kafkaBootstrap(), topics: topic, groupId: uniqueTopic("latest-group"), startingOffsets: "latest" });
    const values: string[] = [];
    stream.foreachRDD((rdd) => void values.push(...rdd.collect().map((r) => r.value ?? "")));
    ssc.start();
    await waitFor(() => stream.receiver().status === "consuming", "the receiver to join its group");
    // Joined: from now on, what is produced is read; the two older records are not.
    await waitFor(async () => {
      await produce(topic, ["new"]);
      await new Promise((r) => setTimeout(r, 300));
      return values.includes("new");
    }, "a record produced after the start");
    expect(values.filter((v) => v.startsWith("old"))).toEqual([]);
  });

  it("sends malformed lines to a dead-letter output, each kept with its error", async () => {
    const topic = uniqueTopic("dead");
    await createTopic(kafka, topic, 1);
    const good = transactions(20, 3);
    const bad = ["garbage", "1,13/45/2024,123-ABC-789,1.00,Books", "2,01/02/2024,123-ABC-789,lots,Books", ""];
    await produce(topic, [...good.slice(0, 10), ...bad, ...good.slice(10)]);

    const { ssc } = context();
    const { parsed, deadLetters } = parseWithDeadLetters(
      KafkaUtils.createDirectStream(ssc, { brokers: kafkaBootstrap(), topics: topic, groupId: uniqueTopic("dead-group"), startingOffsets: "earliest" }),
      (r) => {
        const p = parseTransactionLine(r.value);
        return p.ok ? p : { ok: false, error: p.dead.error };
      },
    );
    const ids: number[] = [];
    const dead: { offset: number; value: string | null; error: string }[] = [];
    parsed.foreachRDD((rdd) => void ids.push(...rdd.collect().map((t) => t.id)));
    deadLetters.foreachRDD((rdd) => void dead.push(...rdd.collect().map((d) => ({ offset: d.record.offset, value: d.record.value, error: d.error }))));
    ssc.start();
    await waitFor(() => ids.length + dead.length >= 24, "24 records parsed or dead");

    expect(ids).toEqual(good.map((l) => Number(l.split(",")[0])));
    expect(dead.map((d) => [d.offset, d.value])).toEqual(bad.map((b, i) => [10 + i, b]));
    expect(dead[0].error).toMatch(/expected 5 comma-separated fields/);
    expect(dead[1].error).toMatch(/date "13\/45\/2024" is not a valid/);
    expect(dead[2].error).toMatch(/amount "lots" is not a number/);
  });

  it("the sink writes records to a topic: keys and values from the record, JSON by default", async () => {
    const input = uniqueTopic("sink-in");
    const output = uniqueTopic("sink-out");
    const json = uniqueTopic("sink-json");
    await createTopic(kafka, input, 1);
    await createTopic(kafka, output, 1);
    await createTopic(kafka, json, 1);
    await produce(input, transactions(50, 11));

    const { ssc } = context();
    const tx = KafkaUtils.createDirectStream(ssc, { brokers: kafkaBootstrap(), topics: input, groupId: uniqueTopic("sink-group"), startingOffsets: "earliest" })
      .map((r) => parseTransactionLine(r.value))
      .flatMap((p) => (p.ok ? [p.value] : []));
    kafkaSink(tx, { brokers: kafkaBootstrap(), topic: output, key: (t) => t.account_number, value: (t) => t.amount.toFixed(2) });
    kafkaSink(tx, { brokers: kafkaBootstrap(), topic: json });
    ssc.start();
    const written = await readTopic(kafka, output, 50);
    const asJson = await readTopic(kafka, json, 50);
    await ssc.stop({ stopGracefully: true });

    const expected = transactions(50, 11).map((l) => l.split(","));
    expect(written.map((r) => [r.key, r.value])).toEqual(expected.map((f) => [f[2], Number(f[3]).toFixed(2)]));
    expect(asJson.map((r) => (JSON.parse(r.value) as { id: number }).id)).toEqual(expected.map((f) => Number(f[0])));
    expect(asJson.every((r) => r.key === null)).toBe(true);
  });

  it("waits for an unreachable broker and says so, without failing the run", async () => {
    const { ssc, events } = context();
    // Port 9 (discard) on localhost: nothing listens there.
    const stream = KafkaUtils.createDirectStream(ssc, { brokers: "127.0.0.1:9", topics: "nowhere", groupId: "nobody", reconnectInitialMs: 100, reconnectMaxMs: 200 });
    let batches = 0;
    stream.foreachRDD(() => void batches++);
    ssc.start();
    await waitFor(() => events.filter((e) => e.type === "receiverError").length >= 2, "two reconnect attempts reported");
    const errors = events.filter((e): e is ReceiverEvent => e.type === "receiverError");
    expect(errors[0].message).toMatch(/^Waiting for Kafka at 127\.0\.0\.1:9 \(topic nowhere, group "nobody"\): .+ Retrying in .+ \(attempt 1\)\.$/);
    expect(errors[1].message).toMatch(/\(attempt 2\)/);
    expect(stream.receiver().status).toBe("waiting");
    await waitFor(() => batches >= 2, "batches to go on meanwhile");
    expect(ssc.getState()).toBe("ACTIVE");
    expect(events.some((e) => e.type === "error")).toBe(false);
    await ssc.stop();
    expect(stream.receiver().status).toBe("stopped");
  });
});
