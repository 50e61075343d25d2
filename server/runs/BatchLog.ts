import type { StreamingEvent } from "../../engine/streaming/events";
import type { BatchSummary } from "./types";

/**
 * The recent batches of a run, folded from the engine's events and capped at `capacity`
 * (oldest dropped), so that a browser joining late receives the recent history at once.
 */
export class BatchLog {
  private readonly byTime = new Map<number, BatchSummary>();

  constructor(private readonly capacity = 1000) {}

  /** Folds one event in; returns the batch it changed, if any. */
  apply(event: StreamingEvent): BatchSummary | undefined {
    switch (event.type) {
      case "batchSubmitted": {
        const batch = this.batch(event.batchTimeMs);
        batch.inputSize = { ...event.inputSize };
        batch.numRecords = Object.values(event.inputSize).reduce((a, b) => a + b, 0);
        batch.numOutputOps = event.numOutputOps;
        return batch;
      }
      case "batchStarted": {
        const batch = this.batch(event.batchTimeMs);
        batch.status = "processing";
        batch.schedulingDelayMs = event.schedulingDelayMs;
        return batch;
      }
      case "batchCompleted": {
        const batch = this.batch(event.batchTimeMs);
        batch.status = event.numFailedOutputOps > 0 ? "failed" : "completed";
        batch.inputSize = { ...event.inputSize };
        batch.numRecords = event.numRecords;
        batch.schedulingDelayMs = event.schedulingDelayMs;
        batch.processingTimeMs = event.processingTimeMs;
        batch.totalDelayMs = event.totalDelayMs;
        batch.numOutputOps = event.numOutputOps;
        batch.numFailedOutputOps = event.numFailedOutputOps;
        return batch;
      }
      case "streamRecords": {
        const batch = this.batch(event.batchTimeMs);
        // A stream may be computed by several output jobs; the complete count is the one to keep.
        if (event.complete || !(event.streamId in batch.streamCounts)) batch.streamCounts[event.streamId] = event.count;
        return batch;
      }
      case "outputOperationCompleted": {
        if (!event.error) return undefined;
        const batch = this.batch(event.batchTimeMs);
        batch.errors.push(`${event.failedStreamId ?? event.streamId}: ${event.error}`);
        return batch;
      }
      default:
        return undefined;
    }
  }

  /** The retained batches, oldest first. */
  list(): BatchSummary[] {
    return [...this.byTime.values()].sort((a, b) => a.batchTimeMs - b.batchTimeMs);
  }

  private batch(timeMs: number): BatchSummary {
    let batch = this.byTime.get(timeMs);
    if (!batch) {
      batch = {
        batchTimeMs: timeMs,
        status: "queued",
        inputSize: {},
        numRecords: 0,
        streamCounts: {},
        numOutputOps: 0,
        numFailedOutputOps: 0,
        errors: [],
      };
      this.byTime.set(timeMs, batch);
      if (this.byTime.size > this.capacity) {
        // Batches arrive in time order, so the first key is the oldest.
        const oldest = this.byTime.keys().next().value;
        if (oldest !== undefined) this.byTime.delete(oldest);
      }
    }
    return batch;
  }
}
