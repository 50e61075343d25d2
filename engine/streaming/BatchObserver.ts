import type { RDDObserver, RDDOrigin } from "../rdd/RDD";
import type { StreamRecordsEvent } from "./events";

interface StreamTally {
  streamName: string;
  count: number;
  seen: number;
  numPartitions: number;
  sample: unknown[];
}

/**
 * Counts records per stream for one batch as partitions are computed, keeping the first
 * `sampleSize` of each stream. Only created when someone listens to events.
 */
export class BatchObserver implements RDDObserver {
  private readonly tallies = new Map<string, StreamTally>();

  constructor(
    readonly batchTimeMs: number,
    private readonly sampleSize: number,
  ) {}

  observe(origin: RDDOrigin, _split: number, numPartitions: number, records: readonly unknown[]): void {
    let t = this.tallies.get(origin.streamId);
    if (t === undefined) {
      t = { streamName: origin.streamName, count: 0, seen: 0, numPartitions, sample: [] };
      this.tallies.set(origin.streamId, t);
    }
    t.count += records.length;
    t.seen++;
    for (let i = 0; i < records.length && t.sample.length < this.sampleSize; i++) t.sample.push(records[i]);
  }

  /** One event per stream that computed partitions in this batch. */
  events(): StreamRecordsEvent[] {
    return [...this.tallies].map(([streamId, t]) => ({
      type: "streamRecords",
      batchTimeMs: this.batchTimeMs,
      streamId,
      streamName: t.streamName,
      count: t.count,
      complete: t.seen >= t.numPartitions,
      sample: t.sample,
    }));
  }
}
