import { Receiver } from "../streaming/receiver/Receiver";
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

  constructor(private readonly options: TransactionGeneratorOptions = {}) {
    super(StorageLevel.MEMORY_AND_DISK_SER_2);
    const mode = options.mode ?? "deterministic";
    this.schedule = transactionSchedule(mode, options.seed === undefined ? Math.random : seededRandom(options.seed));
    this.timeScale = options.timeScale ?? 1;
    if (!(this.timeScale > 0)) throw new RangeError(`timeScale must be > 0, got ${options.timeScale}`);
    const rate = options.maxRatePerSecond;
    if (rate !== undefined && !(rate > 0)) throw new RangeError(`maxRatePerSecond must be > 0, got ${rate}`);
    this.minGapMs = rate === undefined ? 0 : 1000 / rate;
  }

  override get name(): string {
    return `TransactionGenerator(${this.options.mode ?? "deterministic"})`;
  }

  onStart(): void {
    this.scheduleNext(this.clock.getTimeMillis(), -Infinity);
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
