// The broker started by the test setup, driven with kafkajs the way the app uses it:
// a consumer-group round trip, the article's two consumer-group rules (same group: records
// shared out; different groups: every record to each) and committed offsets being resumed.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Kafka, Producer } from "kafkajs";
import {
  connectedProducer,
  createTopic,
  readTopic,
  recordingConsumer,
  testKafka,
  topicRecordCount,
  uniqueTopic,
  waitFor,
} from "./setup/kafka";

let kafka: Kafka;
let producer: Producer;

beforeAll(async () => {
  kafka = testKafka("kafka-broker-test");
  producer = await connectedProducer(kafka);
});

afterAll(async () => {
  await producer?.disconnect();
});

const values = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);

describe("local Kafka broker", () => {
  it("delivers produced records, in order and without key, to a consumer group", async () => {
    const topic = uniqueTopic("round-trip");
    await createTopic(kafka, topic, 1);
    const sent = values(25, "rt");
    await producer.send({ topic, messages: sent.map((value) => ({ value })) });

    const received = await readTopic(kafka, topic, sent.length);
    expect(received.map((r) => r.value)).toEqual(sent);
    expect(received.every((r) => r.key === null && r.partition === 0)).toBe(true);
    expect(await topicRecordCount(kafka, topic)).toBe(sent.length);
  });

  it("shares a 2-partition topic between two consumers of one group, each record reaching exactly one", async () => {
    const topic = uniqueTopic("shared");
    await createTopic(kafka, topic, 2);
    const groupId = uniqueTopic("group-shared");
    const a = await recordingConsumer(kafka, topic, groupId);
    const b = await recordingConsumer(kafka, topic, groupId);
    try {
      // Produce only once the rebalance has given each member one partition.
      await waitFor(
        () => a.assigned().length === 1 && b.assigned().length === 1 && a.assigned()[0] !== b.assigned()[0],
        "one partition per group member",
      );
      const sent = values(40, "shared");
      await producer.send({ topic, messages: sent.map((value, i) => ({ value, partition: i % 2 })) });
      await waitFor(() => a.received.length + b.received.length >= sent.length, "all records consumed");

      const all = [...a.received, ...b.received].map((r) => r.value);
      expect(all.sort()).toEqual([...sent].sort());
      expect(new Set(all).size).toBe(sent.length);
      expect(a.received.length).toBe(20);
      expect(b.received.length).toBe(20);
      expect(a.received.every((r) => r.partition === a.assigned()[0])).toBe(true);
      expect(b.received.every((r) => r.partition === b.assigned()[0])).toBe(true);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });

  it("gives every record to each of several consumer groups", async () => {
    const topic = uniqueTopic("broadcast");
    await createTopic(kafka, topic, 2);
    const sent = values(30, "bc");
    await producer.send({ topic, messages: sent.map((value) => ({ value })) });

    const groups = await Promise.all(
      ["one", "two", "three"].map((name) => recordingConsumer(kafka, topic, uniqueTopic(`group-${name}`))),
    );
    try {
      await waitFor(() => groups.every((g) => g.received.length >= sent.length), "every group to read every record");
      for (const group of groups) {
        expect(group.received.map((r) => r.value).sort()).toEqual([...sent].sort());
      }
    } finally {
      await Promise.all(groups.map((g) => g.stop()));
    }
  });

  it("resumes a consumer group from its committed offset", async () => {
    const topic = uniqueTopic("resume");
    await createTopic(kafka, topic, 1);
    const groupId = uniqueTopic("group-resume");
    const first = values(10, "first");
    await producer.send({ topic, messages: first.map((value) => ({ value })) });

    // Commit after the 5th record only (offset 5 = next to read), then leave the group.
    let committed = false;
    const early = await recordingConsumer(kafka, topic, groupId, {
      autoCommit: false,
      onMessage: async (r, consumer) => {
        if (r.offset === "4") {
          await consumer.commitOffsets([{ topic, partition: 0, offset: "5" }]);
          committed = true;
        }
      },
    });
    try {
      await waitFor(() => committed && early.received.length >= first.length, "the first consumer to commit");
    } finally {
      await early.stop();
    }

    const admin = kafka.admin();
    await admin.connect();
    try {
      const offsets = await admin.fetchOffsets({ groupId, topics: [topic] });
      expect(offsets).toEqual([{ topic, partitions: [{ partition: 0, offset: "5", metadata: null }] }]);
    } finally {
      await admin.disconnect();
    }

    const second = values(5, "second");
    await producer.send({ topic, messages: second.map((value) => ({ value })) });
    const resumed = await recordingConsumer(kafka, topic, groupId);
    try {
      await waitFor(() => resumed.received.length >= 10, "the resumed consumer to read from offset 5");
      expect(resumed.received.map((r) => r.value)).toEqual([...first.slice(5), ...second]);
      expect(resumed.received[0].offset).toBe("5");
    } finally {
      await resumed.stop();
    }
  });
});
