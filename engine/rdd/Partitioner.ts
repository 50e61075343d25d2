import { keyHash } from "./keys";

/** Decides which partition a key goes to (Spark's Partitioner). */
export interface Partitioner {
  readonly numPartitions: number;
  getPartition(key: unknown): number;
  equals(other: Partitioner | undefined): boolean;
}

/** Spark's HashPartitioner: `nonNegativeMod(key.hashCode, numPartitions)`. */
export class HashPartitioner implements Partitioner {
  constructor(readonly numPartitions: number) {
    if (!(Number.isInteger(numPartitions) && numPartitions >= 0)) {
      throw new RangeError(`Number of partitions (${numPartitions}) cannot be negative.`);
    }
  }
  getPartition(key: unknown): number {
    if (this.numPartitions <= 1) return 0;
    const mod = keyHash(key) % this.numPartitions;
    return mod < 0 ? mod + this.numPartitions : mod;
  }
  equals(other: Partitioner | undefined): boolean {
    return other instanceof HashPartitioner && other.numPartitions === this.numPartitions;
  }
  toString(): string {
    return `HashPartitioner(${this.numPartitions})`;
  }
}

/** Resolves Spark's `numPartitions | partitioner` overloads against a default parallelism. */
export function toPartitioner(p: number | Partitioner | undefined, defaultParallelism: number): Partitioner {
  if (p === undefined) return new HashPartitioner(defaultParallelism);
  return typeof p === "number" ? new HashPartitioner(p) : p;
}
