import { Receiver, type ReceivedBlock } from "../streaming/receiver/Receiver";
import type { Time } from "../streaming/Time";
import { StorageLevel } from "../rdd/StorageLevel";
import { formatTransactionLine, seededRandom, transactionSchedule, type TransactionLogMode, type TransactionSchedule } from "./transactionLog";

export interface TransactionGeneratorOptions {
  /** `deterministic` (the article's 101 transactions, delays growing by 50 ms) or `random` (delays up to 5 s). */
  readonly mode?: TransactionLogMode;
  /** Seed of random mode; unseeded random mode uses Math.random. */
  readonly seed?: number;
  /** Speed-up factor: delays are divided by it (1 = the producer's real pace, 100 = a hundred times faster). */
  readonly timeScale?: number;
  /** At most this many transactions per second of clock time. */
  readonly maxRatePerSecond?: number;
  /**
   * The receiver's limit (spark.streaming.receiver.maxRate for this source), records/s: the
   * producer keeps its pace and what exceeds the limit waits for later batches.
   */
  readonly maxRate?: number;
}

/** The generator's checkpointed position: how many transactions completed batches consumed. */
export interface TransactionGeneratorPosition {
  readonly mode: TransactionLogMode;
  readonly seed: number | undefined;
  /** Transactions consumed by completed batches; a restored generator resumes with this step. */
  readonly next: number;
}

/**
 * The article's KafkaTransactionProducer as an in-process receiver: it sends the producer's log
 * lines (`id,MM/dd/yyyy,account,amount,description`) at the producer's pace on the context's
 * clock, stamping each line with its intended send time, so a ManualClock replays it exactly.
 */
export class TransactionGeneratorReceiver extends Receiver<string> {
  private readonly schedule: Iterator<TransactionSchedule>;
  private readonly timeScale: number;
  private readonly minGapMs: number;
  private cancel: (() => void) | undefined;
  /** Number of transactions sent so far. */
  sent = 0;
  /** Number of transactions in completed batches (the position a checkpoint keeps). */
  committed = 0;

  constructor(private readonly options: TransactionGeneratorOptions = {}) {
    super(StorageLevel.MEMORY_AND_DISK_SER_2);
    const mode = options.mode ?? "deterministic";
    this.schedule = transactionSchedule(mode, options.seed === undefined ? Math.random : seededRandom(options.seed));
    this.timeScale = options.timeScale ?? 1;
    if (!(this.timeScale > 0)) throw new RangeError(`timeScale must be > 0, got ${options.timeScale}`);
    const rate = options.maxRatePerSecond;
    if (rate !== undefined && !(rate > 0)) throw new RangeError(`maxRatePerSecond must be > 0, got ${rate}`);
    this.minGapMs = rate === undefined ? 0 : 1000 / rate;
    const limit = options.maxRate;
    if (limit !== undefined && !(Number.isFinite(limit) && limit > 0)) throw new RangeError(`maxRate must be > 0 records/s, got ${limit}`);
  }

  override get maxRate(): number | undefined {
    return this.options.maxRate;
  }

  override get name(): string {
    return `TransactionGenerator(${this.options.mode ?? "deterministic"})`;
  }

  onStart(): void {
    // Resuming from a checkpoint: replay from the first transaction no completed batch consumed.
    while (this.sent < this.committed && !this.schedule.next().done) this.sent++;
    this.scheduleNext(this.clock.getTimeMillis(), -Infinity);
  }

  /**
   * Batches complete in order and take blocks in arrival order, so the transactions consumed by
   * completed batches are a prefix of the sequence: count them.
   */
  override onBatchCompleted(_batchTime: Time, blocks: readonly ReceivedBlock<string>[]): void {
    for (const b of blocks) this.committed += b.records.length;
  }
  override getSourcePosition(): TransactionGeneratorPosition {
    return { mode: this.options.mode ?? "deterministic", seed: this.options.seed, next: this.committed };
  }
  /**
   * Resumes after the transactions a checkpoint's batches consumed. The sequence is replayable in
   * deterministic mode and in seeded random mode (same seed); unseeded random mode cannot replay.
   */
  override restoreSourcePosition(position: unknown): void {
    const p = position as Partial<TransactionGeneratorPosition> | undefined;
    if (p === undefined || typeof p.next !== "number" || !(p.next >= 0)) throw new RangeError(`Not a transaction generator position: ${JSON.stringify(position)}`);
    if (p.mode !== (this.options.mode ?? "deterministic") || p.seed !== this.options.seed) {
      throw new RangeError(`The checkpoint's generator ran in ${p.mode} mode (seed ${p.seed}); this one is ${this.options.mode ?? "deterministic"} (seed ${this.options.seed})`);
    }
    this.committed = p.next;
  }

  onStop(): void {
    this.cancel?.();
    this.cancel = undefined;
  }

  private scheduleNext(previousMs: number, lastSendMs: number): void {
    const next = this.schedule.next();
    if (next.done) return;
    const { delayMs, entry } = next.value;
    const sendMs = Math.max(previousMs + delayMs / this.timeScale, lastSendMs + this.minGapMs);
    this.cancel = this.clock.schedule(sendMs, () => {
      if (this.isStopped()) return;
      this.store(formatTransactionLine(entry, new Date(sendMs)), { timeMs: sendMs });
      this.sent++;
      this.scheduleNext(sendMs, sendMs);
    });
  }
}
