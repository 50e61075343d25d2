import type { BatchSummary } from "../types";

/** Records on one wire (one stream id, `<nodeId>:<port>` in compiled pipelines). */
export interface WireStat {
  streamId: string;
  streamName?: string;
  /** Records in the newest batch that computed this stream. */
  lastCount: number;
  lastBatchTimeMs: number;
  /** Mean records per batch over the retained batches that computed it. */
  avgCount: number;
  /** Batches of the retained history that computed it. */
  batches: number;
}

/** Per-stream record counts over the retained batches ("data on every wire"), keyed by stream id. */
export function wireStats(batches: readonly BatchSummary[]): Map<string, WireStat> {
  const out = new Map<string, WireStat>();
  const sorted = [...batches].sort((a, b) => a.batchTimeMs - b.batchTimeMs);
  const names = streamNames(sorted);
  for (const b of sorted) {
    for (const [streamId, count] of Object.entries(b.streamCounts)) {
      const s = out.get(streamId);
      if (!s) {
        out.set(streamId, { streamId, streamName: names[streamId], lastCount: count, lastBatchTimeMs: b.batchTimeMs, avgCount: count, batches: 1 });
      } else {
        s.avgCount = (s.avgCount * s.batches + count) / (s.batches + 1);
        s.batches++;
        s.lastCount = count;
        s.lastBatchTimeMs = b.batchTimeMs;
      }
    }
  }
  return out;
}

/** The engine's stream names seen in the batches (newest wins). */
export function streamNames(batches: readonly BatchSummary[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const b of batches) Object.assign(out, b.streamNames);
  return out;
}

/** One batch's part of a stream's live tail. */
export interface TailEntry {
  batchTimeMs: number;
  /** All records of the stream in that batch (the sample holds only the first few). */
  count: number;
  records: string[];
}

/**
 * The live tail of a stream: the sampled records of its newest batches that carry samples,
 * newest last, at most `maxBatches` batches.
 */
export function streamTail(batches: readonly BatchSummary[], streamId: string, maxBatches = 20): TailEntry[] {
  const entries: TailEntry[] = [];
  for (const b of batches) {
    const records = b.samples?.[streamId];
    if (records === undefined) continue;
    entries.push({ batchTimeMs: b.batchTimeMs, count: b.streamCounts[streamId] ?? records.length, records });
  }
  entries.sort((a, b) => a.batchTimeMs - b.batchTimeMs);
  return entries.slice(-maxBatches);
}

/** The stream ids of a node's output ports (`<nodeId>:<port>`). */
export function streamsOfNode(streamIds: Iterable<string>, nodeId: string): string[] {
  const prefix = `${nodeId}:`;
  return [...streamIds].filter((id) => id.startsWith(prefix)).sort();
}
