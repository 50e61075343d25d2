/**
 * One Kafka message as the pipeline sees it (Spark's ConsumerRecord): key and value decoded as
 * UTF-8 (null when absent), offsets and timestamps as numbers (exact below 2^53).
 */
export interface KafkaRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  /** The message timestamp (CreateTime or LogAppendTime), ms since the epoch. */
  readonly timestamp: number;
  readonly key: string | null;
  readonly value: string | null;
}

/** A range of offsets of one partition, `fromOffset` inclusive, `untilOffset` exclusive (Spark's OffsetRange). */
export interface OffsetRange {
  readonly topic: string;
  readonly partition: number;
  readonly fromOffset: number;
  readonly untilOffset: number;
}

/** Where a new consumer group starts: the first retained offset or the end of the log (auto.offset.reset). */
export type StartingOffsets = "earliest" | "latest";

/** The source position kept in checkpoints: per topic and partition, the next offset to read. */
export interface KafkaSourcePosition {
  readonly kind: "kafka";
  readonly groupId: string;
  readonly topics: readonly string[];
  readonly offsets: Readonly<Record<string, Readonly<Record<string, number>>>>;
}

export const DEFAULT_BROKERS: readonly string[] = ["localhost:9092"];

/**
 * Bootstrap brokers from a list or a comma-separated string (`"k1:9092,k2:9092"`). A host
 * without a port gets 9092.
 */
export function parseBrokers(brokers: string | readonly string[] | undefined): string[] {
  const list = (brokers === undefined ? DEFAULT_BROKERS : typeof brokers === "string" ? brokers.split(",") : brokers).map((b) => b.trim()).filter((b) => b !== "");
  if (list.length === 0) throw new RangeError("Kafka needs at least one bootstrap broker (host:port)");
  return list.map((b) => {
    if (/^[^:\s]+:\d+$/.test(b) || /^\[[^\]]+\]:\d+$/.test(b)) return b;
    if (/^[^:\s]+$/.test(b)) return `${b}:9092`;
    throw new RangeError(`Not a Kafka broker address (host:port): "${b}"`);
  });
}

/**
 * Topics from a name, a list, or Spark's `Map(topic -> receiver threads)` (the thread counts
 * are ignored: parallelism comes from the topic's partitions).
 */
export function parseTopics(topics: string | readonly string[] | Readonly<Record<string, number>>): string[] {
  const list = typeof topics === "string" ? topics.split(",") : Array.isArray(topics) ? (topics as readonly string[]) : Object.keys(topics);
  const out = [...new Set(list.map((t) => t.trim()).filter((t) => t !== ""))];
  if (out.length === 0) throw new RangeError("Kafka needs at least one topic to read");
  return out;
}
