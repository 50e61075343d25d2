import type { Partitioner } from "../Partitioner";
import { RDD } from "../RDD";
import { keyId } from "../keys";

/* Spark's PairRDDFunctions that RDD.ts lacks (aggregateByKey, foldByKey, lookup), by augmentation. */
declare module "../RDD" {
  // The augmentation must repeat the class's type parameter, even where it goes unused.
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface RDD<T> {
    /**
     * Per key, values folded into a copy of `zeroValue` with `seqOp` inside each partition, the
     * partial results merged with `combOp` (both may mutate and return their first argument).
     */
    aggregateByKey<K, V, U>(
      this: RDD<[K, V]>,
      zeroValue: U,
      seqOp: (acc: U, v: V) => U,
      combOp: (a: U, b: U) => U,
      partitions?: number | Partitioner,
    ): RDD<[K, U]>;
    /** Per key, values folded with `func` starting from a copy of `zeroValue` (associative `func`). */
    foldByKey<K, V>(this: RDD<[K, V]>, zeroValue: V, func: (a: V, b: V) => V, partitions?: number | Partitioner): RDD<[K, V]>;
    /** The values of `key`, reading only the key's partition when the RDD has a partitioner. */
    lookup<K, V>(this: RDD<[K, V]>, key: K): V[];
  }
}

/**
 * Spark serializes the zero value once and deserializes a fresh copy per key, so mutating
 * accumulators (a Set, an array) never share state between keys. structuredClone does the same
 * (class instances come back as plain objects; functions are refused with a clear error).
 */
function zeroCopier<U>(zeroValue: U, operation: string): () => U {
  if (zeroValue === null || typeof zeroValue !== "object") return () => zeroValue;
  try {
    structuredClone(zeroValue);
  } catch (e) {
    throw new TypeError(`${operation}: the zero value must be copyable data (${(e as Error).message})`);
  }
  return () => structuredClone(zeroValue);
}

RDD.prototype.aggregateByKey = function <K, V, U>(
  this: RDD<[K, V]>,
  zeroValue: U,
  seqOp: (acc: U, v: V) => U,
  combOp: (a: U, b: U) => U,
  partitions?: number | Partitioner,
): RDD<[K, U]> {
  const zero = zeroCopier(zeroValue, "aggregateByKey");
  return this.combineByKey<K, V, U>((v) => seqOp(zero(), v), seqOp, combOp, partitions ?? defaultPartitions(this));
};

RDD.prototype.foldByKey = function <K, V>(this: RDD<[K, V]>, zeroValue: V, func: (a: V, b: V) => V, partitions?: number | Partitioner): RDD<[K, V]> {
  const zero = zeroCopier(zeroValue, "foldByKey");
  return this.combineByKey<K, V, V>((v) => func(zero(), v), func, func, partitions ?? defaultPartitions(this));
};

RDD.prototype.lookup = function <K, V>(this: RDD<[K, V]>, key: K): V[] {
  const id = keyId(key);
  const out: V[] = [];
  const scan = (records: readonly [K, V][]) => {
    for (const kv of records) if (keyId(kv[0]) === id) out.push(kv[1]);
  };
  if (this.partitioner !== undefined) scan(this.iterator(this.partitioner.getPartition(key)));
  else for (let p = 0; p < this.numPartitions; p++) scan(this.iterator(p));
  return out;
};

/** Spark's defaultPartitioner for one parent: its partitioner, else hash over max(parallelism, its partitions). */
function defaultPartitions(rdd: RDD<unknown>): number | Partitioner {
  return rdd.partitioner ?? Math.max(rdd.sc.defaultParallelism, rdd.numPartitions);
}
