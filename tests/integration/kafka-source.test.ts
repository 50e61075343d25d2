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
});
