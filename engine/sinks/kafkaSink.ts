import { Kafka, logLevel, Partitioners, type Message, type Producer } from "kafkajs";
import type { DStream } from "../dstream/DStream";
import type { ForEachDStream } from "../dstream/ForEachDStream";
import { parseBrokers } from "../sources/kafka/KafkaRecord";

type Payload = string | Buffer | null;

export interface KafkaSinkOptions<T> {
  /** Bootstrap brokers (default `localhost:9092`). */
  readonly brokers?: string | readonly string[];
  /** The topic, or the topic of each record. */
  readonly topic: string | ((record: T) => string);
  /** The message key of a record (default: none). */
  readonly key?: (record: T) => Payload;
  /** The message value of a record (default: strings and Buffers as they are, anything else as JSON). */
  readonly value?: (record: T) => Payload;
  /** Idempotent producer (default true): broker-side deduplication of retried sends. */
  readonly idempotent?: boolean;
  readonly clientId?: string;
  /** Messages per produce request (default 10,000). */
  readonly chunkSize?: number;
}

/** The default value: strings and Buffers unchanged, other records as JSON (bigints as strings). */
export function defaultKafkaValue(record: unknown): Payload {
  if (typeof record === "string" || Buffer.isBuffer(record)) return record;
  if (record === undefined || record === null) return null;
  return JSON.stringify(record, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
}

/**
 * `foreachRDD` producing every record of every batch to Kafka. The batch's output completes only
 * once the broker acknowledged every message (acks from all in-sync replicas), so a source's
 * offsets are committed after the sink's writes: at-least-once end to end. With the idempotent
 * producer a retried request is not written twice. The producer connects at the first non-empty
 * batch and disconnects when the context stops.
 */
export function kafkaSink<T>(stream: DStream<T>, options: KafkaSinkOptions<T>): ForEachDStream<T> {
  const brokers = parseBrokers(options.brokers);
  const topicOf = options.topic;
  if (typeof topicOf === "string" && topicOf.trim() === "") throw new RangeError("The Kafka sink needs a topic");
  const keyOf = options.key;
  const valueOf = options.value ?? (defaultKafkaValue as (r: T) => Payload);
  const chunkSize = options.chunkSize ?? 10_000;
  const idempotent = options.idempotent ?? true;
  let producer: Promise<Producer> | undefined;

  const connect = (): Promise<Producer> => {
    const kafka = new Kafka({ clientId: options.clientId ?? "dstream-studio-sink", brokers, logLevel: logLevel.NOTHING, connectionTimeout: 3000 });
    const p = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, idempotent, maxInFlightRequests: idempotent ? 1 : undefined });
    const connecting = p.connect().then(() => p);
    // A failed connection is retried at the next batch rather than remembered.
    connecting.catch(() => (producer = undefined));
    return connecting;
  };

  stream.ssc.addStreamingListener((e) => {
    if (e.type !== "streamingStopped" || producer === undefined) return;
    const p = producer;
    producer = undefined;
    void p.then((x) => x.disconnect()).catch(() => undefined);
  });

  return stream.foreachRDD(async (rdd) => {
    const records = rdd.collect();
    if (records.length === 0) return;
    const byTopic = new Map<string, Message[]>();
    for (const r of records) {
      const topic = typeof topicOf === "string" ? topicOf : topicOf(r);
      let list = byTopic.get(topic);
      if (list === undefined) byTopic.set(topic, (list = []));
      list.push({ key: keyOf === undefined ? null : keyOf(r), value: valueOf(r) });
    }
    let p: Producer;
    try {
      p = await (producer ??= connect());
    } catch (e) {
      throw new Error(`Kafka sink: cannot connect to brokers ${brokers.join(",")}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
    for (const [topic, messages] of byTopic) {
      for (let i = 0; i < messages.length; i += chunkSize) {
        try {
          await p.send({ topic, acks: -1, messages: messages.slice(i, i + chunkSize) });
        } catch (e) {
          throw new Error(`Kafka sink: producing to topic "${topic}" at ${brokers.join(",")} failed: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
        }
      }
    }
  });
}
