// Helpers for tests against the broker started by kafka.global.ts.
import crypto from "node:crypto";
import { inject } from "vitest";
import { Kafka, logLevel, Partitioners, type Consumer, type KafkaMessage, type Producer } from "kafkajs";

export function kafkaBootstrap(): string {
  return inject("kafkaBootstrap");
}

export function testKafka(clientId = "dstream-studio-test"): Kafka {
  return new Kafka({ clientId, brokers: [kafkaBootstrap()], logLevel: logLevel.NOTHING });
}

/** A topic name no other test (or earlier run on a reused broker) has used. */
export function uniqueTopic(prefix: string): string {
  return `${prefix}-${crypto.randomBytes(4).toString("hex")}`;
}

export async function createTopic(kafka: Kafka, topic: string, numPartitions = 1): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions }], waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
}

export async function connectedProducer(kafka: Kafka): Promise<Producer> {
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, idempotent: true });
  await producer.connect();
  return producer;
}

/** Sum of the partitions' high watermarks: how many records the topic holds. */
export async function topicRecordCount(kafka: Kafka, topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
  } finally {
    await admin.disconnect();
  }
}

/** Polls `condition` until it holds; fails with `what` after `timeoutMs` (a guard, not a timing check). */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export interface Received {
  partition: number;
  offset: string;
  key: string | null;
  value: string;
}

function toReceived(partition: number, message: KafkaMessage): Received {
  return {
    partition,
    offset: message.offset,
    key: message.key === null ? null : message.key.toString(),
    value: message.value?.toString() ?? "",
  };
}

/** A group consumer that records what it receives, and its latest partition assignment. */
export interface RecordingConsumer {
  consumer: Consumer;
  received: Received[];
  /** Partitions of the topic assigned at the latest group join. */
  assigned(): number[];
  stop(): Promise<void>;
}

export async function recordingConsumer(
  kafka: Kafka,
  topic: string,
  groupId: string,
  options: { autoCommit?: boolean; onMessage?: (r: Received, consumer: Consumer) => Promise<void> } = {},
): Promise<RecordingConsumer> {
  const consumer = kafka.consumer({
    groupId,
    sessionTimeout: 10_000,
    heartbeatInterval: 500,
    rebalanceTimeout: 10_000,
  });
  const received: Received[] = [];
  let assignment: number[] = [];
  consumer.on(consumer.events.GROUP_JOIN, (event) => {
    assignment = [...(event.payload.memberAssignment[topic] ?? [])].sort();
  });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    autoCommit: options.autoCommit ?? true,
    eachMessage: async ({ partition, message }) => {
      const r = toReceived(partition, message);
      received.push(r);
      await options.onMessage?.(r, consumer);
    },
  });
  return { consumer, received, assigned: () => assignment, stop: () => consumer.disconnect() };
}

/** Reads `count` records of `topic` from the beginning through a fresh consumer group. */
export async function readTopic(kafka: Kafka, topic: string, count: number, timeoutMs = 120_000): Promise<Received[]> {
  const reader = await recordingConsumer(kafka, topic, uniqueTopic("reader"));
  try {
    await waitFor(() => reader.received.length >= count, `${count} records on ${topic}`, timeoutMs);
  } finally {
    await reader.stop();
  }
  return reader.received;
}
