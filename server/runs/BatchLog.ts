import type { StreamInputInfo, StreamingEvent } from "../../engine/streaming/events";
import { formatSamples } from "./aggregate/samples";
import type { StateChangeCounts } from "./state/types";
import type { BatchSummary, OffsetRangeView, RunTotals } from "./types";

/**
 * The recent batches of a run, folded from the engine's events and capped at `capacity`
 * (oldest dropped), so that a browser joining late receives the recent history at once.
 * The bulky details (sampled records, stream names, windows) are kept only for the newest
 * `detailBatches` batches; whole-run counts survive the cap in `totals()`.
 */
export class BatchLog {
  private readonly byTime = new Map<number, BatchSummary>();
  /** Times of the batches that still carry details, oldest first. */
  private readonly detailed: number[] = [];
  private readonly counts: RunTotals = { completedBatches: 0, failedBatches: 0, totalRecords: 0 };

  constructor(
    private readonly capacity = 1000,
    private readonly detailBatches = 60,
  ) {}

  /** Folds one event in; returns the batch it changed, if any. */
  apply(event: StreamingEvent): BatchSummary | undefined {
    switch (event.type) {
      case "batchSubmitted": {
        const batch = this.batch(event.batchTimeMs);
        batch.inputSize = { ...event.inputSize };
        batch.numRecords = Object.values(event.inputSize).reduce((a, b) => a + b, 0);
        batch.numOutputOps = event.numOutputOps;
        const ranges = offsetRangesOf(event.inputInfo);
        if (ranges) batch.offsetRanges = ranges;
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
        const wasFinal = batch.status === "completed" || batch.status === "failed";
        batch.status = event.numFailedOutputOps > 0 ? "failed" : "completed";
        batch.inputSize = { ...event.inputSize };
        batch.numRecords = event.numRecords;
        batch.schedulingDelayMs = event.schedulingDelayMs;
        batch.processingTimeMs = event.processingTimeMs;
        batch.totalDelayMs = event.totalDelayMs;
        batch.numOutputOps = event.numOutputOps;
        batch.numFailedOutputOps = event.numFailedOutputOps;
        if (!wasFinal) {
          this.counts.completedBatches++;
          if (batch.status === "failed") this.counts.failedBatches++;
          this.counts.totalRecords += event.numRecords;
        }
        return batch;
      }
      case "streamRecords": {
        const batch = this.batch(event.batchTimeMs);
        // A stream may be computed by several output jobs; the complete count is the one to keep.
        if (event.complete || !(event.streamId in batch.streamCounts)) {
          batch.streamCounts[event.streamId] = event.count;
          if (this.hasDetails(batch)) {
            (batch.samples ??= {})[event.streamId] = formatSamples(event.sample);
            (batch.streamNames ??= {})[event.streamId] = event.streamName;
          }
        }
        return batch;
      }
      case "window": {
        const batch = this.batch(event.batchTimeMs);
        if (!this.hasDetails(batch)) return batch;
        const { type: _type, batchTimeMs: _time, ...span } = event;
        const windows = (batch.windows ?? []).filter((w) => w.streamId !== event.streamId);
        windows.push({
          ...span,
          coveredTimesMs: [...span.coveredTimesMs],
          enteredTimesMs: span.enteredTimesMs && [...span.enteredTimesMs],
          leftTimesMs: span.leftTimesMs && [...span.leftTimesMs],
        });
        batch.windows = windows;
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

  /** Starts from a history read back from the database (a run resumed after a restart). */
  restore(batches: readonly BatchSummary[], totals?: RunTotals): void {
    for (const b of [...batches].sort((x, y) => x.batchTimeMs - y.batchTimeMs).slice(-this.capacity)) {
      this.byTime.set(b.batchTimeMs, { ...b });
    }
    if (totals) Object.assign(this.counts, totals);
    else {
      for (const b of batches) {
        if (b.status !== "completed" && b.status !== "failed") continue;
        this.counts.completedBatches++;
        if (b.status === "failed") this.counts.failedBatches++;
        this.counts.totalRecords += b.numRecords;
      }
    }
  }

  /** Records what a batch changed in a state stream. */
  setState(batchTimeMs: number, streamId: string, counts: StateChangeCounts): BatchSummary {
    const batch = this.batch(batchTimeMs);
    batch.state = { ...batch.state, [streamId]: counts };
    return batch;
  }

  /** Counts the fraud flags a flags node raised in a batch. */
  addFlags(batchTimeMs: number, nodeId: string, n: number): BatchSummary {
    const batch = this.batch(batchTimeMs);
    batch.flags = { ...batch.flags, [nodeId]: (batch.flags?.[nodeId] ?? 0) + n };
    return batch;
  }

  /** The retained batches, oldest first. */
  list(): BatchSummary[] {
    return [...this.byTime.values()].sort((a, b) => a.batchTimeMs - b.batchTimeMs);
  }

  /** Counts over every batch of the run, including those the cap dropped. */
  totals(): RunTotals {
    return { ...this.counts };
  }

  private hasDetails(batch: BatchSummary): boolean {
    return this.detailed.includes(batch.batchTimeMs);
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
      this.detailed.push(timeMs);
      if (this.detailed.length > this.detailBatches) {
        const stale = this.byTime.get(this.detailed.shift() as number);
        if (stale) {
          delete stale.samples;
          delete stale.streamNames;
          delete stale.windows;
        }
      }
    }
    return batch;
  }
}

/** The Kafka offset ranges in a batch's input info, per input stream; undefined when none. */
export function offsetRangesOf(inputInfo: readonly StreamInputInfo[] | undefined): Record<string, OffsetRangeView[]> | undefined {
  let out: Record<string, OffsetRangeView[]> | undefined;
  for (const info of inputInfo ?? []) {
    const ranges = info.metadata?.offsetRanges;
    if (!Array.isArray(ranges)) continue;
    const clean: OffsetRangeView[] = [];
    for (const r of ranges as unknown[]) {
      const o = r as Partial<OffsetRangeView> | null;
      if (o && typeof o.topic === "string" && typeof o.partition === "number" && typeof o.fromOffset === "number" && typeof o.untilOffset === "number") {
        clean.push({ topic: o.topic, partition: o.partition, fromOffset: o.fromOffset, untilOffset: o.untilOffset });
      }
    }
    (out ??= {})[info.streamId] = clean;
  }
  return out;
}
