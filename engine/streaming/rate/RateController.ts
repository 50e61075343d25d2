import type { BatchCompletedEvent } from "../events";
import type { StreamingListener } from "../StreamingListener";
import type { RateEstimator } from "./RateEstimator";

/**
 * Feeds one input stream's rate estimator from completed batches and publishes each new estimate
 * (Spark's RateController, a StreamingListener). Spark computes on a separate thread; here the
 * estimate is cheap and computed at once, in batch order.
 */
export class RateController implements StreamingListener {
  private latest = -1;

  constructor(
    /** The input stream's id, as in the batch's input sizes. */
    readonly streamId: string,
    private readonly estimator: RateEstimator,
    private readonly publish: (rate: number) => void,
  ) {}

  /** The latest published rate in records/s, -1 before the first estimate. */
  getLatestRate(): number {
    return this.latest;
  }

  onBatchCompleted(e: BatchCompletedEvent): void {
    const elements = e.inputSize[this.streamId];
    // A batch without this stream's input info tells nothing about it (Spark's for-comprehension).
    if (elements === undefined) return;
    const processingEnd = e.batchTimeMs + e.totalDelayMs;
    const rate = this.estimator.compute(processingEnd, elements, e.processingTimeMs, e.schedulingDelayMs);
    if (rate === undefined) return;
    // Spark keeps the rate as a Long.
    this.latest = Math.trunc(rate);
    this.publish(this.latest);
  }
}
