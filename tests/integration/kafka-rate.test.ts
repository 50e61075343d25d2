// Rate limits of the Kafka source against the test broker: spark.streaming.kafka.maxRatePerPartition
// caps every batch per partition, backpressure's initial rate caps the first batches, and the
// admin probe reports committed and end offsets with the lag. Counts only, never timing.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Kafka, Producer } from "kafkajs";
import { Milliseconds, StreamingContext, type BatchSubmittedEvent, type StreamingEvent } from "../../engine/index";
import { KafkaInputDStream } from "../../engine/sources/kafka/KafkaInputDStream";
import type { OffsetRange } from "../../engine/sources/kafka/KafkaRecord";
import type { BackpressureSettings } from "../../engine/streaming/rate/RateEstimator";
import { connectedProducer, createTopic, kafkaBootstrap, testKafka, uniqueTopic, waitFor } from "./setup/kafka";

let kafka: Kafka;
let producer: Producer;
const open: StreamingContext[] = [];

beforeAll(async () => {
  kafka = testKafka("kafka-rate-test");
  producer = await connectedProducer(kafka);
});
afterAll(async () => {
  await producer?.disconnect();
});
afterEach(async () => {
  for (const ssc of open.splice(0)) await ssc.stop();
});

async function topicWith(perPartition: readonly number[]): Promise<string> {
  const topic = uniqueTopic("rate");
  await createTopic(kafka, topic, perPartition.length);
  for (const [partition, n] of perPartition.entries()) {
    await producer.send({ topic, messages: Array.from({ length: n }, (_, i) => ({ value: `p${partition}-${i}`, partition })) });
  }
  return topic;
}

function run(topic: string, options: { maxRatePerPartition?: number; backpressure?: BackpressureSettings }) {
  const ssc = new StreamingContext(Milliseconds(200), { backpressure: options.backpressure });
  open.push(ssc);
  const events: StreamingEvent[] = [];
  ssc.addStreamingListener((e) => events.push(e));
  const stream = new KafkaInputDStream(ssc, { brokers: kafkaBootstrap(), topics: topic, groupId: uniqueTopic("rate-group"), startingOffsets: "earliest", maxRatePerPartition: options.maxRatePerPartition });
  let counted = 0;
  stream.foreachRDD((rdd) => void (counted += rdd.count()));
  ssc.start();
  const batches = () =>
    events
      .filter((e): e is BatchSubmittedEvent => e.type === "batchSubmitted")
      .map((e) => e.inputInfo.flatMap((i) => (i.metadata.offsetRanges ?? []) as OffsetRange[]))
      .filter((rs) => rs.length > 0);
  return { ssc, stream, counted: () => counted, batches };
}

describe("Kafka rate limits", () => {
  it("maxRatePerPartition caps every batch per partition (rate x batch seconds); the probe reports the lag", async () => {
    const topic = await topicWith([120, 40]);
    const r = run(topic, { maxRatePerPartition: 100 }); // 20 records per partition per 200 ms batch
    const probe = r.stream.receiver();
    await waitFor(() => r.batches().length >= 2, "two batches with records");
    const midway = await probe.readOffsets();
    expect(midway.map((p) => p.end)).toEqual([120, 40]);
    expect(midway[0].lag).toBeGreaterThan(0);
    await waitFor(() => r.counted() >= 160, "160 records");
    for (const ranges of r.batches()) for (const range of ranges) expect(range.untilOffset - range.fromOffset).toBeLessThanOrEqual(20);
    // Partition 0 needs at least 6 batches at 20 each.
    expect(r.batches().filter((rs) => rs.some((x) => x.partition === 0)).length).toBeGreaterThanOrEqual(6);
    await r.ssc.stop({ stopGracefully: true });
    open.splice(open.indexOf(r.ssc), 1);
    expect(r.counted()).toBe(160);
  });

  it("under backpressure the initial rate caps the first batches, then the estimate lets the rest in", async () => {
    const topic = await topicWith([300, 100]);
    const r = run(topic, { backpressure: { enabled: true, initialRate: 50, pid: { minRate: 5 } } }); // 10 records per batch at first
    await waitFor(() => r.counted() >= 400, "400 records");
    const sizes = r.batches().map((rs) => rs.reduce((n, x) => n + x.untilOffset - x.fromOffset, 0));
    // Two partitions at 1 record at least each: the first batch holds at most the rate's 10 plus 1.
    expect(sizes[0]).toBeLessThanOrEqual(11);
    expect(r.counted()).toBe(400);
    const [status] = r.ssc.scheduler.receiverTracker.rateStatus();
    expect(status.backpressure).toBe(true);
    expect(status.estimatedRate).not.toBeNull();
  });
});
