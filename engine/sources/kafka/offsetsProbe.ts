import { Kafka, logLevel, type Admin } from "kafkajs";

/** Where one topic partition stands for a consumer group (what `kafka-consumer-groups --describe` shows). */
export interface PartitionLag {
  readonly topic: string;
  readonly partition: number;
  /** The group's committed offset (the next record it will read); null when it has committed none. */
  readonly committed: number | null;
  /** The partition's end (latest) offset: one past its newest record. */
  readonly end: number;
  /** Records the group has not committed yet: end - committed (end - earliest when none committed). */
  readonly lag: number;
}

/**
 * Reads committed and end offsets of a group's topics with a kafkajs admin client, in the run's
 * own process (it already talks to these brokers as a consumer), so the server opens no Kafka
 * connection on a pipeline's behalf.
 */
export class KafkaOffsetsProbe {
  private admin: Admin | undefined;
  private connecting: Promise<Admin> | undefined;

  constructor(
    private readonly brokers: readonly string[],
    private readonly groupId: string,
    private readonly topics: readonly string[],
    private readonly clientId = "dstream-studio-offsets",
  ) {}

  private connect(): Promise<Admin> {
    this.connecting ??= (async () => {
      const admin = new Kafka({
        clientId: this.clientId,
        brokers: [...this.brokers],
        logLevel: logLevel.NOTHING,
        connectionTimeout: 3000,
        retry: { retries: 1, initialRetryTime: 250, maxRetryTime: 1000 },
      }).admin();
      await admin.connect();
      this.admin = admin;
      return admin;
    })().catch((e: unknown) => {
      this.connecting = undefined; // try again next time
      throw e;
    });
    return this.connecting;
  }

  /** Committed offset, end offset and lag per partition, sorted by topic and partition. */
  async read(): Promise<PartitionLag[]> {
    const admin = await this.connect();
    const out: PartitionLag[] = [];
    const committed = await admin.fetchOffsets({ groupId: this.groupId, topics: [...this.topics] });
    for (const topic of this.topics) {
      const ends = await admin.fetchTopicOffsets(topic);
      const mine = committed.find((c) => c.topic === topic)?.partitions ?? [];
      for (const p of ends) {
        const end = Number(p.high);
        const c = Number(mine.find((m) => m.partition === p.partition)?.offset ?? -1);
        const has = Number.isFinite(c) && c >= 0;
        out.push({ topic, partition: p.partition, committed: has ? c : null, end, lag: Math.max(0, end - (has ? c : Number(p.low))) });
      }
    }
    return out.sort((a, b) => (a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1));
  }

  async close(): Promise<void> {
    const admin = this.admin;
    this.admin = undefined;
    this.connecting = undefined;
    await admin?.disconnect().catch(() => undefined);
  }
}
