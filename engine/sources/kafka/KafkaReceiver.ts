import { Kafka, logLevel, type Consumer, type EachBatchPayload } from "kafkajs";
import { StorageLevel } from "../../rdd/StorageLevel";
import { Receiver, type ReceivedBlock } from "../../streaming/receiver/Receiver";
import type { Time } from "../../streaming/Time";
import { backoffDelayMs, Sleeper } from "./backoff";
import { parseBrokers, parseTopics, type KafkaRecord, type KafkaSourcePosition, type OffsetRange, type StartingOffsets } from "./KafkaRecord";
import { isKafkaSourcePosition, mergeOffsetRanges, OffsetTracker, type PartitionOffset } from "./offsets";
import { KafkaOffsetsProbe, type PartitionLag } from "./offsetsProbe";

export interface KafkaReceiverOptions {
  /** Bootstrap brokers: `host:port` list or comma-separated string (default `localhost:9092`). */
  readonly brokers?: string | readonly string[];
  /** Topics: a name, names, or Spark's `Map(topic -> threads)` (thread counts ignored). */
  readonly topics: string | readonly string[] | Readonly<Record<string, number>>;
  /** Consumer group id: runs in one group share the partitions; each group gets every record. */
  readonly groupId: string;
  /** Where a group without committed offsets starts (default `latest`, as Kafka's auto.offset.reset). */
  readonly startingOffsets?: StartingOffsets;
  readonly clientId?: string;
  /** At most this many records go into one batch (Spark's maxRatePerPartition, per receiver). */
  readonly maxRecordsPerBatch?: number;
  /**
   * At most this many records per second from each partition (Spark's
   * spark.streaming.kafka.maxRatePerPartition): a batch takes at most rate * batch seconds
   * (at least 1) from a partition. Under backpressure the estimated rate is shared among the
   * partitions by their lag, each share capped by this.
   */
  readonly maxRatePerPartition?: number;
  /** Fetching pauses while this many received records wait for their batch to complete (default 250,000). */
  readonly maxPendingRecords?: number;
  /** Group session timeout (default 6 s, the broker's minimum): how soon a crashed run's partitions move on. */
  readonly sessionTimeoutMs?: number;
  readonly heartbeatIntervalMs?: number;
  readonly rebalanceTimeoutMs?: number;
  /** Bytes per fetch response, and per partition in it (defaults 64 MiB and 16 MiB). */
  readonly maxBytes?: number;
  readonly maxBytesPerPartition?: number;
  /** First and largest delay between attempts to reach the brokers (defaults 500 ms and 10 s). */
  readonly reconnectInitialMs?: number;
  readonly reconnectMaxMs?: number;
}

/** What the receiver is doing, for status displays. */
export type KafkaReceiverStatus = "idle" | "connecting" | "waiting" | "consuming" | "stopped";

const DEFAULT_MAX_PENDING = 250_000;

/**
 * Reads Kafka topics as a consumer-group member with kafkajs (the role of Spark's
 * KafkaUtils.createStream receiver). Each fetched batch of one partition becomes one block
 * stamped with its offset range; offsets are committed to the group only once the engine's
 * batch holding them has completed all its outputs, and the completed offsets are the position
 * kept in checkpoints. On recovery the first assignment seeks to the checkpointed offsets, so
 * the run resumes exactly after its last completed batch.
 */
export class KafkaReceiver extends Receiver<KafkaRecord> {
  readonly brokers: string[];
  readonly topics: string[];
  readonly groupId: string;
  private readonly offsets = new OffsetTracker();
  private readonly sleeper = new Sleeper();
  private readonly maxPending: number;
  private readonly maxPerBatch: number | undefined;
  private readonly maxRatePerPartition: number | undefined;
  /** Records stored per partition in the current batch interval, by `topic:partition`. */
  private readonly slotByPartition = new Map<string, number>();
  /** The latest end offset (high watermark) each fetch reported, by `topic:partition`. */
  private readonly endOffsets = new Map<string, { topic: string; partition: number; end: number }>();
  private probe: KafkaOffsetsProbe | undefined;
  private consumer: Consumer | undefined;
  private connecting: Promise<void> | undefined;
  private running = false;
  private closed = false;
  private statusValue: KafkaReceiverStatus = "idle";
  private assigned: Record<string, number[]> = {};
  private stored = 0;
  private completed = 0;
  private slotEndMs = -1;
  private slotCount = 0;
  private readonly roomWaiters = new Set<() => void>();
  private commitInFlight: Promise<void> | undefined;
  private commitAgain = false;
  private commitFailures = 0;

  constructor(
    private readonly options: KafkaReceiverOptions,
    /** The context's batch duration, to count records per batch for `maxRecordsPerBatch`. */
    private readonly batchMs: number,
  ) {
    super(StorageLevel.MEMORY_AND_DISK_SER_2);
    this.brokers = parseBrokers(options.brokers);
    this.topics = parseTopics(options.topics);
    if (typeof options.groupId !== "string" || options.groupId.trim() === "") throw new RangeError("Kafka needs a consumer group id");
    this.groupId = options.groupId;
    this.maxPending = positive(options.maxPendingRecords, "maxPendingRecords") ?? DEFAULT_MAX_PENDING;
    this.maxPerBatch = positive(options.maxRecordsPerBatch, "maxRecordsPerBatch");
    const rpp = options.maxRatePerPartition;
    if (rpp !== undefined && !(Number.isFinite(rpp) && rpp > 0)) throw new RangeError(`maxRatePerPartition must be > 0 records/s, got ${rpp}`);
    this.maxRatePerPartition = rpp;
  }

  override get name(): string {
    return `KafkaReceiver(${this.topics.join(",")} @ ${this.groupId})`;
  }
  get status(): KafkaReceiverStatus {
    return this.statusValue;
  }
  /** The partitions the group gave this receiver at its latest join, per topic. */
  get assignment(): Readonly<Record<string, readonly number[]>> {
    return this.assigned;
  }
  /** Kafka takes less from the brokers rather than having its surplus held (records wait there). */
  override get limitsOwnRate(): boolean {
    return true;
  }
  /** Records the brokers hold beyond what was stored, per the latest fetches' high watermarks. */
  override waitingRecords(): number | undefined {
    if (this.endOffsets.size === 0) return undefined;
    let waiting = 0;
    for (const e of this.endOffsets.values()) waiting += this.partitionLag(e.topic, e.partition);
    return waiting;
  }
  /** Committed offset, end offset and lag of every partition of the topics, for the group (admin API). */
  readOffsets(): Promise<PartitionLag[]> {
    this.probe ??= new KafkaOffsetsProbe(this.brokers, this.groupId, this.topics, `${this.options.clientId ?? "dstream-studio"}-offsets`);
    return this.probe.read();
  }
  /** Where the brokers, topics and group are named in messages. */
  private get where(): string {
    return `Kafka at ${this.brokers.join(",")} (topic ${this.topics.join(",")}, group "${this.groupId}")`;
  }

  onStart(): void {
    this.running = true;
    this.connecting = this.connect();
  }

  /** Stops fetching; the group membership stays until the stream closes, so completed batches can still commit. */
  onStop(): void {
    this.running = false;
    this.statusValue = "stopped";
    this.sleeper.wakeAll();
    this.wakeRoomWaiters();
    try {
      this.consumer?.pause(this.topics.map((topic) => ({ topic })));
    } catch {
      // Not running (yet, or restarting after a crash): nothing is being fetched.
    }
  }

  /** Commits what completed batches consumed (bounded wait), then leaves the group. */
  async close(timeoutMs = 5000): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.onStop();
    await withTimeout(this.connecting ?? Promise.resolve(), timeoutMs);
    await withTimeout(this.flushCommits(), timeoutMs);
    const consumer = this.consumer;
    this.consumer = undefined;
    await withTimeout(
      (consumer?.disconnect() ?? Promise.resolve()).catch(() => undefined),
      timeoutMs,
    );
    await withTimeout(this.probe?.close() ?? Promise.resolve(), timeoutMs);
  }

  // ---- connection --------------------------------------------------------------------------

  /** Connects, subscribes and runs; while the brokers cannot be reached, waits with backoff and says so. */
  private async connect(): Promise<void> {
    for (let attempt = 1; this.running; attempt++) {
      this.statusValue = attempt === 1 ? "connecting" : "waiting";
      const consumer = this.newConsumer();
      this.consumer = consumer;
      try {
        await consumer.connect();
        if (!this.running) break;
        await consumer.subscribe({ topics: this.topics, fromBeginning: (this.options.startingOffsets ?? "latest") === "earliest" });
        await consumer.run({ autoCommit: false, eachBatchAutoResolve: false, eachBatch: (payload) => this.onFetched(payload) });
        return;
      } catch (e) {
        await consumer.disconnect().catch(() => undefined);
        if (!this.running) return;
        const delay = backoffDelayMs(attempt, this.options.reconnectInitialMs, this.options.reconnectMaxMs);
        this.statusValue = "waiting";
        this.reportError(`Waiting for ${this.where}: ${errorMessage(e)}. Retrying in ${formatSeconds(delay)} (attempt ${attempt}).`, e);
        await this.sleeper.sleep(delay);
      }
    }
  }

  private newConsumer(): Consumer {
    const o = this.options;
    const kafka = new Kafka({
      clientId: o.clientId ?? "dstream-studio",
      brokers: this.brokers,
      // Failures reach the dashboard as receiver events; kafkajs's own log would only repeat them.
      logLevel: logLevel.NOTHING,
      connectionTimeout: 3000,
      retry: { initialRetryTime: 250, maxRetryTime: 5000, retries: 3 },
    });
    const sessionTimeout = o.sessionTimeoutMs ?? 6000;
    const consumer = kafka.consumer({
      groupId: this.groupId,
      sessionTimeout,
      rebalanceTimeout: o.rebalanceTimeoutMs ?? 10_000,
      heartbeatInterval: o.heartbeatIntervalMs ?? Math.min(1000, Math.floor(sessionTimeout / 3)),
      maxBytes: o.maxBytes ?? 64 * 2 ** 20,
      maxBytesPerPartition: o.maxBytesPerPartition ?? 16 * 2 ** 20,
      maxWaitTimeInMs: 250,
      retry: { initialRetryTime: 250, maxRetryTime: 5000, retries: 3 },
    });
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      if (this.consumer !== consumer) return;
      this.assigned = Object.fromEntries(Object.entries(payload.memberAssignment).map(([t, ps]) => [t, [...ps].sort((a, b) => a - b)]));
      for (const s of this.offsets.onAssigned(payload.memberAssignment)) {
        consumer.seek({ topic: s.topic, partition: s.partition, offset: String(s.offset) });
      }
      if (this.running) this.statusValue = "consuming";
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (this.consumer !== consumer || !this.running) return;
      this.statusValue = "waiting";
      const then = payload.restart ? "the consumer restarts by itself" : "reconnecting";
      this.reportError(`Lost ${this.where}: ${errorMessage(payload.error)}; ${then}. Records are not lost: fetching resumes after the last stored offset.`, payload.error);
      if (!payload.restart) this.connecting = this.reconnect(consumer);
    });
    return consumer;
  }

  private async reconnect(consumer: Consumer): Promise<void> {
    await consumer.disconnect().catch(() => undefined);
    if (this.running && this.consumer === consumer) await this.connect();
  }

  // ---- fetching ----------------------------------------------------------------------------

  /** kafkajs's eachBatch: one partition's fetched messages become one block (no per-record awaits). */
  private async onFetched(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    if (!this.running || this.isStopped()) {
      payload.pause();
      return;
    }
    const messages = batch.messages;
    const n = messages.length;
    const topic = batch.topic;
    const partition = batch.partition;
    const high = Number(batch.highWatermark);
    if (Number.isFinite(high)) this.endOffsets.set(`${topic}:${partition}`, { topic, partition, end: high });
    let i = 0;
    const next = this.offsets.nextToStore(topic, partition);
    if (next !== undefined) while (i < n && Number(messages[i].offset) < next) i++;
    while (i < n) {
      let room = this.room(topic, partition);
      while (room === 0) {
        await this.waitForRoom();
        if (!this.running || this.isStopped()) {
          payload.pause();
          return;
        }
        if (!payload.isRunning() || payload.isStale()) return;
        await payload.heartbeat();
        room = this.room(topic, partition);
      }
      const end = room >= n - i ? n : i + room;
      const records = new Array<KafkaRecord>(end - i);
      for (let j = i; j < end; j++) {
        const m = messages[j];
        records[j - i] = {
          topic,
          partition,
          offset: Number(m.offset),
          timestamp: Number(m.timestamp),
          key: m.key == null ? null : m.key.toString(),
          value: m.value == null ? null : m.value.toString(),
        };
      }
      const range: OffsetRange = { topic, partition, fromOffset: records[0].offset, untilOffset: records[records.length - 1].offset + 1 };
      this.storeMany(records, { metadata: { ...range } });
      this.offsets.markStored(range);
      payload.resolveOffset(messages[end - 1].offset);
      this.stored += end - i;
      this.slotCount += end - i;
      const key = `${topic}:${partition}`;
      this.slotByPartition.set(key, (this.slotByPartition.get(key) ?? 0) + end - i);
      i = end;
    }
    if (n > 0) await payload.heartbeat();
  }

  /**
   * How many records of a partition may be stored now: bounded by pending records, by the
   * per-batch cap and by the partition's rate for this batch interval.
   */
  private room(topic: string, partition: number): number {
    const end = (Math.floor(this.clock.getTimeMillis() / this.batchMs) + 1) * this.batchMs;
    if (end !== this.slotEndMs) {
      this.slotEndMs = end;
      this.slotCount = 0;
      this.slotByPartition.clear();
    }
    let room = this.maxPending - (this.stored - this.completed);
    if (this.maxPerBatch !== undefined) room = Math.min(room, this.maxPerBatch - this.slotCount);
    const cap = this.maxMessagesPerPartition(topic, partition);
    if (cap !== undefined) room = Math.min(room, cap - (this.slotByPartition.get(`${topic}:${partition}`) ?? 0));
    return room > 0 ? room : 0;
  }

  /**
   * Spark's DirectKafkaInputDStream.maxMessagesPerPartition: with a rate from the limiter
   * (backpressure's estimate or initial rate), the partition's share of it in proportion to its
   * lag, capped by maxRatePerPartition; without one, maxRatePerPartition. Records per batch:
   * rate * batch seconds, at least 1 (Spark's minRatePerPartition). Undefined: no limit.
   */
  private maxMessagesPerPartition(topic: string, partition: number): number | undefined {
    const limiter = this.rateLimiter;
    let perSecond: number | undefined = this.maxRatePerPartition;
    if (limiter?.limited) {
      let total = 0;
      for (const e of this.endOffsets.values()) total += this.partitionLag(e.topic, e.partition);
      const lag = this.partitionLag(topic, partition);
      const share = total > 0 ? (lag / total) * limiter.rate : limiter.rate / Math.max(1, this.endOffsets.size);
      perSecond = perSecond !== undefined ? Math.min(share, perSecond) : share;
    }
    if (perSecond === undefined) return undefined;
    return Math.max(Math.floor((this.batchMs / 1000) * perSecond), 1);
  }

  /** Records of a partition beyond what this receiver stored, per the latest high watermark. */
  private partitionLag(topic: string, partition: number): number {
    const e = this.endOffsets.get(`${topic}:${partition}`);
    if (e === undefined) return 0;
    const next = this.offsets.nextToStore(topic, partition);
    return next === undefined ? 0 : Math.max(0, e.end - next);
  }

  /** Until a batch completes, the next batch interval begins, stop, or 1 s (to heartbeat). */
  private waitForRoom(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        cancel();
        this.roomWaiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, 1000);
      const cancel = this.clock.schedule(this.slotEndMs, done);
      this.roomWaiters.add(done);
    });
  }
  private wakeRoomWaiters(): void {
    for (const done of [...this.roomWaiters]) done();
  }

  // ---- batches, commits and positions ------------------------------------------------------

  override summarizeBlocks(blocks: readonly ReceivedBlock<KafkaRecord>[]): Record<string, unknown> {
    const offsetRanges = mergeOffsetRanges(blocksRanges(blocks));
    return {
      blocks: blocks.length,
      offsetRanges,
      // Spark's StreamInputInfo.METADATA_KEY_DESCRIPTION layout.
      Description: offsetRanges.map((r) => `topic: ${r.topic}\tpartition: ${r.partition}\toffsets: ${r.fromOffset} to ${r.untilOffset}`).join("\n"),
    };
  }

  /** Every output of `batchTime` ran: its offsets become the position and are committed. */
  override onBatchCompleted(_batchTime: Time, blocks: readonly ReceivedBlock<KafkaRecord>[]): void {
    for (const b of blocks) this.completed += b.records.length;
    for (const r of blocksRanges(blocks)) this.offsets.markCompleted(r);
    this.wakeRoomWaiters();
    this.requestCommit();
  }

  override getSourcePosition(): KafkaSourcePosition {
    return { kind: "kafka", groupId: this.groupId, topics: this.topics, offsets: this.offsets.completedOffsets() };
  }
  override restoreSourcePosition(position: unknown): void {
    if (!isKafkaSourcePosition(position)) throw new RangeError(`Not a Kafka source position: ${JSON.stringify(position)}`);
    const offsets: Record<string, Readonly<Record<string, number>>> = {};
    for (const t of this.topics) if (position.offsets[t] !== undefined) offsets[t] = position.offsets[t];
    this.offsets.restore({ ...position, offsets });
  }

  /** One commit at a time; a commit requested meanwhile follows with the latest offsets. */
  private requestCommit(): void {
    if (this.commitInFlight !== undefined) {
      this.commitAgain = true;
      return;
    }
    const consumer = this.consumer;
    const due = this.offsets.commitsDue();
    if (consumer === undefined || due.length === 0) return;
    this.commitInFlight = consumer
      .commitOffsets(due.map((o) => ({ topic: o.topic, partition: o.partition, offset: String(o.offset) })))
      .then(
        () => {
          this.offsets.markCommitted(due);
          this.commitFailures = 0;
        },
        (e: unknown) => {
          // A broker restart fails a few commits in a row: say it once; the next batch retries.
          if (this.commitFailures++ === 0) this.reportError(`Could not commit offsets ${describeOffsets(due)} to ${this.where}: ${errorMessage(e)}. A later batch commits them.`, e);
        },
      )
      .finally(() => {
        this.commitInFlight = undefined;
        if (this.commitAgain) {
          this.commitAgain = false;
          this.requestCommit();
        }
      });
  }

  /** Waits for the commit in flight, then commits what is still due. */
  async flushCommits(): Promise<void> {
    for (let i = 0; i < 3; i++) {
      while (this.commitInFlight !== undefined) await this.commitInFlight;
      if (this.offsets.commitsDue().length === 0) return;
      this.requestCommit();
    }
    while (this.commitInFlight !== undefined) await this.commitInFlight;
  }
}

function* blocksRanges(blocks: readonly ReceivedBlock<KafkaRecord>[]): Iterable<OffsetRange> {
  for (const b of blocks) if (b.metadata !== undefined) yield b.metadata as unknown as OffsetRange;
}

function positive(value: number | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!(Number.isInteger(value) && value > 0)) throw new RangeError(`${name} must be a whole number > 0, got ${value}`);
  return value;
}

function errorMessage(e: unknown): string {
  if (e instanceof Error) {
    const cause = (e as { cause?: unknown }).cause;
    return cause instanceof Error && cause.message !== e.message ? `${e.message} (${cause.message})` : e.message;
  }
  return String(e);
}

const formatSeconds = (ms: number) => `${(ms / 1000).toFixed(ms < 1000 ? 1 : 0)} s`;

function describeOffsets(offsets: readonly PartitionOffset[]): string {
  return offsets.map((o) => `${o.topic}[${o.partition}]=${o.offset}`).join(", ");
}

async function withTimeout(p: Promise<unknown>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([p.then(() => undefined, () => undefined), new Promise<void>((r) => (timer = setTimeout(r, ms)))]);
  clearTimeout(timer);
}
