/**
 * Kafka figures, on a broker this module starts and stops itself (free port, temporary data):
 * - consumption: 1,000,000 transaction lines produced beforehand (4 partitions), then a
 *   pipeline parse -> key by account -> reduceByKey reads them all; records/s from the moment
 *   the receiver joined its group to the batch that brought the count to 1,000,000;
 * - latency: records produced at 10,000/s for 10 s, each stamped with its send time; latency is
 *   from that time to the `batchCompleted` event of the batch holding the record (p50, p99).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Kafka, logLevel, Partitioners, type Producer } from "kafkajs";
import type { BenchModule } from "./index";
import { KafkaUtils, Milliseconds, StreamingContext, type KafkaInputDStream } from "../engine/index";
import { parseTransactionLine } from "../engine/pipeline/catalog/article";
import { formatTransactionLine, randomTransaction, seededRandom } from "../engine/sources/transactionLog";
import { freeBrokerPort, startBroker, stopBroker } from "../scripts/kafka/broker.mjs";

const RECORDS = 1_000_000;
const PARTITIONS = 4;
const RATE = 10_000;
const LATENCY_SECONDS = 10;

const fmt = (n: number) => (n >= 1e6 ? `${(n / 1e6).toFixed(2)} M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)} k` : n.toFixed(1));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function lines(count: number): string[] {
  const random = seededRandom(42);
  const date = new Date(2024, 0, 15);
  return Array.from({ length: count }, (_, i) => formatTransactionLine(randomTransaction(i, random), date));
}

/** parse -> key by account -> reduceByKey (or only count records); returns a getter of the records counted so far. */
function pipeline(input: KafkaInputDStream, countOnly = false): () => number {
  let counted = 0;
  if (countOnly) {
    input.foreachRDD((rdd) => void (counted += rdd.count()));
    return () => counted;
  }
  input
    .map((r) => parseTransactionLine(r.value))
    .flatMap((p) => (p.ok ? [p.value] : []))
    .map((t): [string, number] => [t.account_number, 1])
    .reduceByKey((a, b) => a + b)
    .foreachRDD((rdd) => {
      for (const [, n] of rdd.collect()) counted += n;
    });
  return () => counted;
}

async function preProduce(producer: Producer, topic: string, values: string[]): Promise<number> {
  const t0 = performance.now();
  const chunk = 10_000;
  const inFlight: Promise<unknown>[] = [];
  for (let i = 0; i < values.length; i += chunk) {
    const messages = values.slice(i, i + chunk).map((value, j) => ({ value, partition: (i + j) % PARTITIONS }));
    inFlight.push(producer.send({ topic, acks: 1, messages }));
    if (inFlight.length >= 4) await inFlight.shift();
  }
  await Promise.all(inFlight);
  return values.length / ((performance.now() - t0) / 1000);
}

async function consumption(bootstrap: string, topic: string, countOnly = false): Promise<{ rate: number; joinMs: number }> {
  const ssc = new StreamingContext(Milliseconds(500));
  const input = KafkaUtils.createDirectStream(ssc, { brokers: bootstrap, topics: topic, groupId: `bench-${Date.now()}`, startingOffsets: "earliest", maxPendingRecords: 500_000 });
  const counted = pipeline(input, countOnly);
  const started = performance.now();
  ssc.start();
  while (input.receiver().status !== "consuming") await sleep(5);
  const joined = performance.now();
  while (counted() < RECORDS) await sleep(5);
  const done = performance.now();
  await ssc.stop();
  return { rate: RECORDS / ((done - joined) / 1000), joinMs: joined - started };
}

async function latency(bootstrap: string, producer: Producer, topic: string, batchMs: number): Promise<{ p50: number; p99: number; max: number; n: number }> {
  const ssc = new StreamingContext(Milliseconds(batchMs));
  const input = KafkaUtils.createDirectStream(ssc, { brokers: bootstrap, topics: topic, groupId: `bench-latency-${Date.now()}`, startingOffsets: "latest" });
  const counted = pipeline(input);
  const sentAt = new Map<number, number[]>();
  input.foreachRDD((rdd, time) => void sentAt.set(time.milliseconds, rdd.map((r) => r.timestamp).collect()));
  const latencies: number[] = [];
  ssc.addStreamingListener((e) => {
    if (e.type !== "batchCompleted") return;
    const now = Date.now();
    for (const ts of sentAt.get(e.batchTimeMs) ?? []) latencies.push(now - ts);
    sentAt.delete(e.batchTimeMs);
  });
  ssc.start();
  while (input.receiver().status !== "consuming") await sleep(5);
  await sleep(1000); // the first fetch resolves "latest" before anything is sent
  const values = lines(RATE * LATENCY_SECONDS);
  const t0 = Date.now();
  let sent = 0;
  while (sent < values.length) {
    const due = Math.min(values.length, Math.floor(((Date.now() - t0) / 1000) * RATE));
    if (due > sent) {
      const now = String(Date.now());
      await producer.send({ topic, acks: 1, messages: values.slice(sent, due).map((value, j) => ({ value, timestamp: now, partition: (sent + j) % PARTITIONS })) });
      sent = due;
    } else await sleep(2);
  }
  while (counted() < values.length) await sleep(5);
  await sleep(batchMs * 2);
  await ssc.stop();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  return { p50: at(0.5), p99: at(0.99), max: latencies[latencies.length - 1], n: latencies.length };
}

const bench: BenchModule = {
  title: "Kafka",
  async run() {
    const port = await freeBrokerPort();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "dstream-kafka-bench-"));
    const quiet = () => {};
    try {
      const { bootstrap } = await startBroker({ port, dataDir, partitions: PARTITIONS, heap: "1g", log: quiet });
      const kafka = new Kafka({ clientId: "bench", brokers: [bootstrap], logLevel: logLevel.NOTHING });
      const admin = kafka.admin();
      await admin.connect();
      await admin.createTopics({ topics: [{ topic: "bench-load", numPartitions: PARTITIONS }, { topic: "bench-latency", numPartitions: PARTITIONS }], waitForLeaders: true });
      await admin.disconnect();
      const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
      await producer.connect();

      const produceRate = await preProduce(producer, "bench-load", lines(RECORDS));
      const c = await consumption(bootstrap, "bench-load");
      const raw = await consumption(bootstrap, "bench-load", true);
      const l100 = await latency(bootstrap, producer, "bench-latency", 100);
      await producer.disconnect();

      console.log(`Apache Kafka broker on ${bootstrap}, ${PARTITIONS} partitions, same host; kafkajs 2.2.4.`);
      console.log("");
      console.log("| figure | value |");
      console.log("|---|---:|");
      console.log(`| pre-producing ${fmt(RECORDS)} lines (kafkajs, acks=1) | ${fmt(produceRate)} records/s |`);
      console.log(`| consuming ${fmt(RECORDS)} lines: parse -> key by account -> reduceByKey, 500 ms batches | ${fmt(c.rate)} records/s |`);
      console.log(`| consuming the same, count only (the source's own cost) | ${fmt(raw.rate)} records/s |`);
      console.log(`| group join before the first fetch | ${c.joinMs.toFixed(0)} ms |`);
      console.log(`| latency produce -> batch completed at ${fmt(RATE)}/s, 100 ms batches (${fmt(l100.n)} records): p50 | ${l100.p50} ms |`);
      console.log(`| same: p99 | ${l100.p99} ms |`);
      console.log(`| same: max | ${l100.max} ms |`);
    } finally {
      await stopBroker({ dataDir, log: quiet });
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  },
};
export default bench;
