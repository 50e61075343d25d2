import { SparkException } from "../../streaming/errors";
import { HashPartitioner, toPartitioner, type Partitioner } from "../Partitioner";
import { RDD } from "../RDD";
import { keyId, type KeyId } from "../keys";
import { randomGenerator, poisson } from "./random";

/* Spark's set-like RDD operations (subtract, intersection), zip and sample, added by augmentation. */
declare module "../RDD" {
  interface RDD<T> {
    /**
     * The records of this RDD that `other` does not contain (duplicates of this RDD kept), in
     * `partitions` (default: this RDD's partitioner, else hash over this RDD's partition count).
     */
    subtract(other: RDD<T>, partitions?: number | Partitioner): RDD<T>;
    /** The distinct records present in both RDDs (a cogroup over the default partitioner). */
    intersection(other: RDD<T>, partitions?: number | Partitioner): RDD<T>;
    /** Pairs the i-th record of each partition with the i-th of `other`'s same partition. */
    zip<U>(other: RDD<U>): RDD<[T, U]>;
    /**
     * A random sample: each record kept with probability `fraction` (Bernoulli), or, with
     * replacement, repeated a Poisson(fraction) number of times. Same seed, same sample.
     * Keeps the partitioner.
     */
    sample(withReplacement: boolean, fraction: number, seed?: number): RDD<T>;
    /** Pairs whose key `other` does not have (Spark's SubtractedRDD). */
    subtractByKey<K, V, W>(this: RDD<[K, V]>, other: RDD<[K, W]>, partitions?: number | Partitioner): RDD<[K, V]>;
  }
}

const idOf = (k: unknown): KeyId => (typeof k === "object" && k !== null ? keyId(k) : (k as KeyId));

/** Spark's SubtractedRDD: `partitioner` places left and right records; the left ones whose key the right lacks stay. */
function subtracted<T>(left: RDD<T>, right: RDD<unknown>, keyOf: (t: T) => unknown, partitioner: Partitioner, rightKeyOf: (r: unknown) => unknown): RDD<T> {
  let buckets: T[][] | undefined;
  const compute = (i: number): T[] => {
    if (buckets === undefined) {
      const n = partitioner.numPartitions;
      const removed: Set<KeyId>[] = Array.from({ length: n }, () => new Set());
      for (let p = 0; p < right.numPartitions; p++) {
        for (const r of right.iterator(p)) {
          const k = rightKeyOf(r);
          removed[partitioner.getPartition(k)].add(idOf(k));
        }
      }
      const out: T[][] = Array.from({ length: n }, () => []);
      for (let p = 0; p < left.numPartitions; p++) {
        for (const t of left.iterator(p)) {
          const k = keyOf(t);
          const target = partitioner.getPartition(k);
          if (!removed[target].has(idOf(k))) out[target].push(t);
        }
      }
      buckets = out;
    }
    return buckets[i];
  };
  return new RDD<T>(left.sc, partitioner.numPartitions, compute, [left as RDD<unknown>, right], partitioner);
}

RDD.prototype.subtractByKey = function <K, V, W>(this: RDD<[K, V]>, other: RDD<[K, W]>, partitions?: number | Partitioner): RDD<[K, V]> {
  const p = partitions === undefined ? (this.partitioner ?? new HashPartitioner(this.numPartitions)) : toPartitioner(partitions, this.sc.defaultParallelism);
  return subtracted(this, other as RDD<unknown>, (kv) => kv[0], p, (r) => (r as [K, W])[0]);
};

RDD.prototype.subtract = function <T>(this: RDD<T>, other: RDD<T>, partitions?: number | Partitioner): RDD<T> {
  const p = partitions === undefined ? (this.partitioner ?? new HashPartitioner(this.numPartitions)) : toPartitioner(partitions, this.sc.defaultParallelism);
  // Spark: when this RDD is already partitioned by p, its records (pairs) are placed by their key,
  // so that the left side needs no move; the result is a plain RDD (no partitioner) either way.
  const byKey = this.partitioner !== undefined && this.partitioner.equals(p);
  const placement: Partitioner = byKey
    ? { numPartitions: p.numPartitions, getPartition: (x) => p.getPartition((x as [unknown, unknown])[0]), equals: () => false }
    : p;
  const result = subtracted(this, other as RDD<unknown>, (t) => t, placement, (r) => r);
  return result.mapPartitions((records) => records);
};

RDD.prototype.intersection = function <T>(this: RDD<T>, other: RDD<T>, partitions?: number | Partitioner): RDD<T> {
  const left = this.map((v) => [v, null] as [T, null]);
  const right = other.map((v) => [v, null] as [T, null]);
  return left
    .cogroup(right, partitions)
    .filter(([, [l, r]]) => l.length > 0 && r.length > 0)
    .keys();
};

RDD.prototype.zip = function <T, U>(this: RDD<T>, other: RDD<U>): RDD<[T, U]> {
  if (this.numPartitions !== other.numPartitions) {
    throw new RangeError(`Can't zip RDDs with unequal numbers of partitions: List(${this.numPartitions}, ${other.numPartitions})`);
  }
  return new RDD<[T, U]>(
    this.sc,
    this.numPartitions,
    (i) => {
      const a = this.iterator(i);
      const b = other.iterator(i);
      if (a.length !== b.length) throw new SparkException("Can only zip RDDs with same number of elements in each partition");
      const out = new Array<[T, U]>(a.length);
      for (let j = 0; j < a.length; j++) out[j] = [a[j], b[j]];
      return out;
    },
    [this as RDD<unknown>, other as RDD<unknown>],
  );
};

RDD.prototype.sample = function <T>(this: RDD<T>, withReplacement: boolean, fraction: number, seed: number = Math.floor(Math.random() * 2 ** 31)): RDD<T> {
  if (!(typeof fraction === "number" && fraction >= 0)) throw new RangeError(`requirement failed: Negative fraction value: ${fraction}`);
  if (!withReplacement && fraction > 1) throw new RangeError(`requirement failed: Sampling fraction (${fraction}) must be on interval [0, 1]`);
  return new RDD<T>(
    this.sc,
    this.numPartitions,
    (i) => {
      const random = randomGenerator(seed, i);
      const out: T[] = [];
      for (const t of this.iterator(i)) {
        if (withReplacement) for (let n = poisson(random, fraction); n > 0; n--) out.push(t);
        else if (random() < fraction) out.push(t);
      }
      return out;
    },
    [this as RDD<unknown>],
    this.partitioner,
  );
};
