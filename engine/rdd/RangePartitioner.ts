import type { Partitioner } from "./Partitioner";
import type { Ordering } from "./Ordering";
import type { PartitionSource } from "./shuffle";

/**
 * Spark's RangePartitioner: partition i holds the keys between bound i-1 and bound i, so the
 * partitions of a sorted RDD are in order. Bounds come from a sample of the parent's keys
 * weighted by partition size (Spark's `determineBounds`); a partition smaller than the sample
 * size per partition is taken whole, so small RDDs get the bounds Spark gets. There may be
 * fewer partitions than asked for when keys repeat (`numPartitions` is bounds + 1).
 */
export class RangePartitioner<K> implements Partitioner {
  readonly numPartitions: number;

  constructor(
    partitions: number,
    parent: PartitionSource<readonly [K, unknown]>,
    readonly ascending: boolean,
    readonly ordering: Ordering<K>,
    /** The bounds to use instead of sampling (for tests and copies). */
    readonly rangeBounds: readonly K[] = sampleBounds(partitions, parent, ordering),
  ) {
    if (!(Number.isInteger(partitions) && partitions >= 0)) {
      throw new RangeError(`Number of partitions cannot be negative but found ${partitions}.`);
    }
    this.numPartitions = this.rangeBounds.length + 1;
  }

  getPartition(key: unknown): number {
    const k = key as K;
    const bounds = this.rangeBounds;
    // Binary search for the first bound >= key.
    let lo = 0;
    let hi = bounds.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.ordering(k, bounds[mid]) > 0) lo = mid + 1;
      else hi = mid;
    }
    return this.ascending ? lo : bounds.length - lo;
  }

  equals(other: Partitioner | undefined): boolean {
    if (!(other instanceof RangePartitioner) || other.ascending !== this.ascending || other.rangeBounds.length !== this.rangeBounds.length) return false;
    return this.rangeBounds.every((b, i) => this.ordering(b, other.rangeBounds[i] as K) === 0);
  }

  toString(): string {
    return `RangePartitioner(${this.numPartitions})`;
  }
}

/** Spark's sample size: about 20 keys per output partition, capped at 1e6, spread over the parent's partitions. */
function sampleBounds<K>(partitions: number, parent: PartitionSource<readonly [K, unknown]>, ordering: Ordering<K>): K[] {
  if (partitions <= 1 || parent.numPartitions === 0) return [];
  const sampleSize = Math.min(20 * partitions, 1e6);
  const perPartition = Math.ceil((3 * sampleSize) / parent.numPartitions);
  const candidates: [K, number][] = [];
  for (let p = 0; p < parent.numPartitions; p++) {
    const records = parent.iterator(p);
    const n = records.length;
    if (n === 0) continue;
    if (n <= perPartition) {
      for (let i = 0; i < n; i++) candidates.push([records[i][0], 1]);
    } else {
      // Every (n / perPartition)-th key, each standing for that many keys (Spark samples at random).
      const weight = n / perPartition;
      for (let i = 0; i < perPartition; i++) candidates.push([records[Math.floor(i * weight)][0], weight]);
    }
  }
  return determineBounds(candidates, partitions, ordering);
}

/** Spark's RangePartitioner.determineBounds: bounds at equal steps of cumulative weight, duplicates skipped. */
export function determineBounds<K>(candidates: [K, number][], partitions: number, ordering: Ordering<K>): K[] {
  const ordered = candidates.slice().sort((a, b) => ordering(a[0], b[0]));
  const sumWeights = ordered.reduce((s, c) => s + c[1], 0);
  const step = sumWeights / partitions;
  let cumWeight = 0;
  let target = step;
  const bounds: K[] = [];
  let previous: { key: K } | undefined;
  for (let i = 0; i < ordered.length && bounds.length < partitions - 1; i++) {
    const [key, weight] = ordered[i];
    cumWeight += weight;
    if (cumWeight >= target && (previous === undefined || ordering(key, previous.key) > 0)) {
      bounds.push(key);
      target += step;
      previous = { key };
    }
  }
  return bounds;
}
