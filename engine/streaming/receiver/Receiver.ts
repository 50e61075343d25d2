import type { Clock } from "../Clock";
import { IllegalStateException } from "../errors";
import { StorageLevel } from "../../rdd/StorageLevel";
import type { Time } from "../Time";
import type { RateLimiter } from "../rate/RateLimiter";

/** Options of `Receiver.store`. */
export interface StoreOptions {
  /**
   * When the records arrived, in ms on the context's clock (default: now). Records are
   * assigned to the batch whose interval holds this time, so a receiver that stamps records
   * with their intended time is immune to event-loop delays.
   */
  readonly timeMs?: number;
  /** Facts about these records (e.g. Kafka topic/partition/offsets), kept with their block. */
  readonly metadata?: Readonly<Record<string, unknown>>;
}

/** A group of records stored together, as the tracker holds it. */
export interface ReceivedBlock<T> {
  /** The end of the batch interval that holds the block's arrival time, in ms. */
  readonly batchEndMs: number;
  /** Arrival time of the first record, in ms. */
  readonly arrivalMs: number;
  readonly records: T[];
  readonly metadata: Readonly<Record<string, unknown>> | undefined;
}

/** Where a started receiver's records go; provided by the ReceiverTracker. */
export interface ReceiverSupervisor<T> {
  readonly clock: Clock;
  readonly streamId: string;
  pushRecords(records: readonly T[], options: StoreOptions | undefined): void;
  reportError(message: string, error: unknown): void;
  requestStop(message: string, error?: unknown): void;
  /** The stream's rate limiter, when a maximum rate or backpressure applies to it. */
  readonly rateLimiter?: RateLimiter;
  /** Records stored but held back by the rate limit (0 when nothing limits the stream). */
  heldBack?(): number;
}

/**
 * Gathers input in parallel with batch processing (Spark's Receiver). Implement `onStart`
 * (begin producing; return promptly and keep working through the clock or I/O callbacks) and
 * `onStop`; call `store` with records. Optional hooks let position-tracking sources (Kafka)
 * summarize blocks per batch, learn when a batch completed, and save/restore their position.
 */
export abstract class Receiver<T> {
  // ES private fields, so that subclasses may use any member names they like.
  #supervisor: ReceiverSupervisor<T> | undefined;
  #stopped = false;

  constructor(readonly storageLevel: StorageLevel = StorageLevel.MEMORY_AND_DISK_SER_2) {}

  abstract onStart(): void | Promise<void>;
  abstract onStop(): void | Promise<void>;

  /** A name for events and errors. */
  get name(): string {
    return this.constructor.name;
  }

  /** Stores one record (see StoreOptions for the arrival time and metadata). */
  store(record: T, options?: StoreOptions): void {
    this.requireSupervisor().pushRecords([record], options);
  }
  /** Stores several records as one block. */
  storeMany(records: readonly T[], options?: StoreOptions): void {
    this.requireSupervisor().pushRecords(records, options);
  }
  /** Reports a non-fatal error: it is posted as a `receiverError` event. */
  reportError(message: string, error?: unknown): void {
    this.#supervisor?.reportError(message, error);
  }
  /** Stops this receiver (its stream then receives nothing more). */
  stop(message: string, error?: unknown): void {
    this.#supervisor?.requestStop(message, error);
  }
  isStarted(): boolean {
    return this.#supervisor !== undefined && !this.#stopped;
  }
  isStopped(): boolean {
    return this.#stopped;
  }
  /** The context's clock: schedule work on it so that a manual clock drives the receiver in tests. */
  get clock(): Clock {
    return this.requireSupervisor().clock;
  }
  /** The id of the input stream this receiver feeds. */
  get streamId(): string {
    return this.requireSupervisor().streamId;
  }

  // ---- rate limits ---------------------------------------------------------------------------

  /** At most this many records per second (spark.streaming.receiver.maxRate for this source); undefined: no own limit. */
  get maxRate(): number | undefined {
    return undefined;
  }
  /**
   * True when the receiver applies its limiter itself, taking less from its source (Kafka fetches
   * less); otherwise what exceeds the rate is held in arrival order until a batch has room.
   */
  get limitsOwnRate(): boolean {
    return false;
  }
  /** The limiter of this receiver's stream once started; undefined when nothing limits it. */
  get rateLimiter(): RateLimiter | undefined {
    return this.#supervisor?.rateLimiter;
  }
  /** Records this receiver stored that its rate limit still holds back (so it can stop reading its source). */
  heldBack(): number {
    return this.#supervisor?.heldBack?.() ?? 0;
  }
  /** Records a self-limiting receiver knows to be waiting at its source (undefined: unknown). */
  waitingRecords?(): number | undefined;

  // ---- optional hooks for position-tracking sources ----------------------------------------

  /** Summarizes the blocks of one batch into the batch's input metadata (Spark's StreamInputInfo). */
  summarizeBlocks?(blocks: readonly ReceivedBlock<T>[]): Record<string, unknown>;
  /** Called when every output of `batchTime` has run, with the blocks that batch held. */
  onBatchCompleted?(batchTime: Time, blocks: readonly ReceivedBlock<T>[]): void | Promise<void>;
  /** The position to save in a checkpoint (e.g. offsets per topic partition). */
  getSourcePosition?(): unknown;
  /** Resumes from a saved position; called before `onStart` on recovery. */
  restoreSourcePosition?(position: unknown): void;

  /** @internal Attaches the supervisor; called by the tracker when the context starts. */
  attachSupervisor(supervisor: ReceiverSupervisor<T>): void {
    this.#supervisor = supervisor;
    this.#stopped = false;
  }
  /** @internal Marks the receiver stopped; further `store` calls fail. */
  markStopped(): void {
    this.#stopped = true;
  }

  private requireSupervisor(): ReceiverSupervisor<T> {
    if (this.#supervisor === undefined) throw new IllegalStateException(`Receiver ${this.name} has not been started`);
    if (this.#stopped) throw new IllegalStateException(`Receiver ${this.name} has been stopped; cannot store more records`);
    return this.#supervisor;
  }
}
