/**
 * The rate one input stream may take records at (Spark's receiver RateLimiter and the Kafka
 * direct stream's maxRatePerPartition, as one model): an optional fixed maximum from the source's
 * settings, and under backpressure the latest estimate, never above that maximum.
 *
 * Spark's receivers block `store` on a token bucket; here records are counted per batch
 * interval: at most `rate * batch seconds` (at least 1) arrive in one batch.
 */
export class RateLimiter {
  private current: number;

  /**
   * @param maxRate fixed maximum in records/s (spark.streaming.receiver.maxRate); undefined: none
   * @param initialRate rate before the first estimate (spark.streaming.backpressure.initialRate)
   */
  constructor(
    readonly maxRate: number | undefined,
    initialRate: number | undefined,
  ) {
    if (maxRate !== undefined && !(maxRate > 0)) throw new RangeError(`the maximum rate must be > 0 records/s, got ${maxRate}`);
    if (initialRate !== undefined && !(initialRate > 0)) throw new RangeError(`the initial rate must be > 0 records/s, got ${initialRate}`);
    const max = maxRate ?? Infinity;
    this.current = Math.min(initialRate ?? max, max);
  }

  /** Records per second allowed now; Infinity when nothing limits the stream. */
  get rate(): number {
    return this.current;
  }
  get limited(): boolean {
    return Number.isFinite(this.current);
  }

  /** A new estimate (Spark's updateRate): ignored when not positive, capped by the maximum rate. */
  updateRate(newRate: number): void {
    if (!(newRate > 0)) return;
    this.current = this.maxRate !== undefined ? Math.min(newRate, this.maxRate) : newRate;
  }

  /** Records allowed into one batch of `batchMs`; Infinity when unlimited. */
  perBatch(batchMs: number): number {
    if (!this.limited) return Infinity;
    return Math.max(1, Math.floor((this.current * batchMs) / 1000));
  }
}
