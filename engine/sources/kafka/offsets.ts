import type { KafkaSourcePosition, OffsetRange } from "./KafkaRecord";

/** A partition's offset to seek to or to commit. */
export interface PartitionOffset {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
}

const tpKey = (topic: string, partition: number) => `${partition}\u0000${topic}`;
const fromKey = (key: string): [string, number] => {
  const i = key.indexOf("\u0000");
  return [key.slice(i + 1), Number(key.slice(0, i))];
};

/**
 * The offsets a Kafka receiver keeps, per topic partition (all "next offset to read"):
 * - stored: after the last record handed to the engine (where fetching resumes after a rejoin);
 * - completed: after the last record of a completed batch (what a checkpoint keeps);
 * - committed: what the broker acknowledged for the consumer group.
 * Only completed offsets are ever committed, so the group never skips records whose batch has
 * not run all its outputs (at-least-once).
 */
export class OffsetTracker {
  private readonly stored = new Map<string, number>();
  private readonly completed = new Map<string, number>();
  private readonly committed = new Map<string, number>();
  /** From a checkpoint: applied at the first assignment, then forgotten. */
  private restored: Map<string, number> | undefined;
  private assigned = new Set<string>();

  /** Sets the checkpointed position: the first assignment seeks there, and it is the position until batches complete. */
  restore(position: KafkaSourcePosition): void {
    this.restored = new Map();
    for (const [topic, partitions] of Object.entries(position.offsets)) {
      for (const [p, offset] of Object.entries(partitions)) {
        const key = tpKey(topic, Number(p));
        this.restored.set(key, offset);
        this.completed.set(key, offset);
      }
    }
  }

  /**
   * A new assignment from the group: returns where to seek. A partition kept across the
   * rebalance resumes after what was already stored (nothing fetched twice); a partition taken
   * from a checkpoint resumes at the checkpoint; others start at the group's committed offset.
   */
  onAssigned(assignment: Readonly<Record<string, readonly number[]>>): PartitionOffset[] {
    const next = new Set<string>();
    for (const [topic, partitions] of Object.entries(assignment)) for (const p of partitions) next.add(tpKey(topic, p));
    // Records stored from a partition that left are still processed; a later owner starts at the committed offset.
    for (const key of this.stored.keys()) if (!next.has(key)) this.stored.delete(key);
    const seeks: PartitionOffset[] = [];
    for (const key of next) {
      const offset = this.stored.get(key) ?? this.restored?.get(key);
      if (offset === undefined) continue;
      const [topic, partition] = fromKey(key);
      seeks.push({ topic, partition, offset });
    }
    this.restored = undefined;
    this.assigned = next;
    return seeks;
  }

  /** The first offset of a fetched batch not stored yet (a safety net against refetches). */
  nextToStore(topic: string, partition: number): number | undefined {
    return this.stored.get(tpKey(topic, partition));
  }
  markStored(range: OffsetRange): void {
    this.stored.set(tpKey(range.topic, range.partition), range.untilOffset);
  }
  markCompleted(range: OffsetRange): void {
    const key = tpKey(range.topic, range.partition);
    if (range.untilOffset > (this.completed.get(key) ?? -1)) this.completed.set(key, range.untilOffset);
  }

  /** Completed offsets of assigned partitions that the group has not committed yet. */
  commitsDue(): PartitionOffset[] {
    const due: PartitionOffset[] = [];
    for (const key of this.assigned) {
      const offset = this.completed.get(key);
      if (offset !== undefined && offset !== this.committed.get(key)) {
        const [topic, partition] = fromKey(key);
        due.push({ topic, partition, offset });
      }
    }
    return due;
  }
  markCommitted(offsets: readonly PartitionOffset[]): void {
    for (const o of offsets) this.committed.set(tpKey(o.topic, o.partition), o.offset);
  }

  /** Completed offsets per topic and partition (the checkpoint's position). */
  completedOffsets(): Record<string, Record<string, number>> {
    const out: Record<string, Record<string, number>> = {};
    for (const [key, offset] of this.completed) {
      const [topic, partition] = fromKey(key);
      (out[topic] ??= {})[String(partition)] = offset;
    }
    return out;
  }
}

/** Whether `value` is a position written by a Kafka source (checked on recovery). */
export function isKafkaSourcePosition(value: unknown): value is KafkaSourcePosition {
  if (typeof value !== "object" || value === null) return false;
  const p = value as Partial<KafkaSourcePosition>;
  if (p.kind !== "kafka" || typeof p.groupId !== "string" || !Array.isArray(p.topics) || typeof p.offsets !== "object" || p.offsets === null) return false;
  return Object.values(p.offsets).every(
    (parts) => typeof parts === "object" && parts !== null && Object.values(parts).every((o) => Number.isInteger(o) && (o as number) >= 0),
  );
}

/** Merges the blocks' offset ranges per partition (blocks of one partition are contiguous). */
export function mergeOffsetRanges(ranges: Iterable<OffsetRange>): OffsetRange[] {
  const byKey = new Map<string, { topic: string; partition: number; fromOffset: number; untilOffset: number }>();
  for (const r of ranges) {
    const key = tpKey(r.topic, r.partition);
    const m = byKey.get(key);
    if (m === undefined) byKey.set(key, { ...r });
    else {
      m.fromOffset = Math.min(m.fromOffset, r.fromOffset);
      m.untilOffset = Math.max(m.untilOffset, r.untilOffset);
    }
  }
  return [...byKey.values()].sort((a, b) => (a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1));
}
