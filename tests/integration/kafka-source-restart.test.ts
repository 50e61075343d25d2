// A dedicated broker (its own port and data directory) for the Kafka source's failure cases: the
// run starts before the broker exists and waits for it, then the broker is stopped and started
// again mid-run on the same data. Every transaction must be counted exactly once in state.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Kafka, logLevel, Partitioners } from "kafkajs";
import { KafkaUtils, Milliseconds, StreamingContext, type ReceiverEvent, type StreamingEvent } from "../../engine/index";
import { freeBrokerPort, startBroker, stopBroker } from "../../scripts/kafka/broker.mjs";
import { uniqueTopic, waitFor } from "./setup/kafka";

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "dstream-kafka-restart-"));
const checkpointDir = fs.mkdtempSync(path.join(os.tmpdir(), "dstream-kafka-restart-cp-"));
const quiet = () => {};

afterAll(async () => {
  await stopBroker({ dataDir, log: quiet });
  for (const d of [dataDir, checkpointDir]) fs.rmSync(d, { recursive: true, force: true });
});

async function produce(bootstrap: string, topic: string, values: readonly string[]): Promise<void> {
  const kafka = new Kafka({ clientId: "restart-test", brokers: [bootstrap], logLevel: logLevel.NOTHING });
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, idempotent: true });
  await producer.connect();
  try {
    for (let i = 0; i < values.length; i += 1000) {
      await producer.send({ topic, messages: values.slice(i, i + 1000).map((value, j) => ({ value, partition: (i + j) % 2 })) });
    }
  } finally {
    await producer.disconnect();
  }
}

describe("Kafka source with a broker that is down", () => {
  it("waits for the broker at start, survives its restart mid-run, and counts every transaction exactly once in state", async () => {
    const port = await freeBrokerPort();
    const bootstrap = `127.0.0.1:${port}`;
    const topic = uniqueTopic("restart");
    const groupId = uniqueTopic("restart-group");

    const ssc = new StreamingContext(Milliseconds(100));
    ssc.checkpoint(checkpointDir); // updateStateByKey needs a checkpoint directory
    const events: StreamingEvent[] = [];
    ssc.addStreamingListener((e) => events.push(e));
    const input = KafkaUtils.createDirectStream(ssc, {
      brokers: bootstrap,
      topics: topic,
      groupId,
      startingOffsets: "earliest",
      maxRecordsPerBatch: 200, // spreads the records over many batches, so the restart lands mid-run
      reconnectInitialMs: 200,
      reconnectMaxMs: 1000,
    });
    let state = new Map<string, number>();
    input
      .map((r): [string, number] => [r.value ?? "", 1])
      .updateStateByKey((values: number[], count: number | undefined) => (count ?? 0) + values.length)
      .foreachRDD((rdd) => void (state = new Map(rdd.collect())));
    const total = () => [...state.values()].reduce((a, b) => a + b, 0);
    const receiverErrors = () => events.filter((e): e is ReceiverEvent => e.type === "receiverError").map((e) => e.message ?? "");
    ssc.start();
    try {
      await waitFor(() => receiverErrors().some((m) => m.startsWith(`Waiting for Kafka at ${bootstrap}`)), "the run to say it waits for the broker");
      expect(ssc.getState()).toBe("ACTIVE");

      await startBroker({ port, dataDir, partitions: 2, log: quiet });
      const first = Array.from({ length: 3000 }, (_, i) => `first-${i}`);
      await produce(bootstrap, topic, first);
      await waitFor(() => total() >= 600, "some transactions in state", 90_000);

      await stopBroker({ dataDir, log: quiet });
      const countedWhileUp = total();
      expect(countedWhileUp).toBeLessThan(first.length);
      await startBroker({ port, dataDir, partitions: 2, log: quiet });
      const second = Array.from({ length: 1000 }, (_, i) => `second-${i}`);
      await produce(bootstrap, topic, second);

      await waitFor(() => state.size >= 4000, "all 4,000 transactions in state", 90_000);
      expect([...state.keys()].sort()).toEqual([...first, ...second].sort());
      expect([...state.entries()].filter(([, n]) => n !== 1)).toEqual([]);
      expect(total()).toBe(4000);
      // The outage was reported (lost connection or failed commits), and the run went on.
      expect(receiverErrors().filter((m) => !m.startsWith("Waiting for Kafka")).length).toBeGreaterThan(0);
      expect(events.some((e) => e.type === "error")).toBe(false);
    } finally {
      await ssc.stop({ stopGracefully: true });
    }
    // After the graceful stop, the group's committed offsets are the ends of both partitions.
    const admin = new Kafka({ clientId: "restart-test", brokers: [bootstrap], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
      expect(offsets.partitions.map((p) => Number(p.offset)).reduce((a, b) => a + b, 0)).toBe(4000);
    } finally {
      await admin.disconnect();
    }
  });
});
