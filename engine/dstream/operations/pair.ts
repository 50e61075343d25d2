import type { Partitioner } from "../../rdd/Partitioner";
import { DStream, type AnyDStream } from "../DStream";
import { FlatMapValuedDStream, MapValuedDStream } from "../MapValuedDStream";
import { ShuffledDStream } from "../ShuffledDStream";
import { defaultPartitioner } from "./basic";

/** A number of partitions (hash partitioning) or a partitioner, as Spark's overloads take. */
export type PartitionSpec = number | Partitioner;

declare module "../DStream" {
  // The augmentation must repeat the class's type parameter, even where it goes unused.
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface DStream<T> {
    mapValues<K, V, U>(this: DStream<[K, V]>, mapValuesFunc: (v: V) => U): DStream<[K, U]>;
    flatMapValues<K, V, U>(this: DStream<[K, V]>, flatMapValuesFunc: (v: V) => Iterable<U>): DStream<[K, U]>;
    /** Each batch's values grouped per key. */
    groupByKey<K, V>(this: DStream<[K, V]>, partitions?: PartitionSpec): DStream<[K, V[]]>;
    /** Each batch's values reduced per key with an associative function. */
    reduceByKey<K, V>(this: DStream<[K, V]>, reduceFunc: (a: V, b: V) => V, partitions?: PartitionSpec): DStream<[K, V]>;
    /** Spark's combineByKey per batch. */
    combineByKey<K, V, C>(
      this: DStream<[K, V]>,
      createCombiner: (v: V) => C,
      mergeValue: (c: C, v: V) => C,
      mergeCombiner: (c1: C, c2: C) => C,
      partitions?: PartitionSpec,
      mapSideCombine?: boolean,
    ): DStream<[K, C]>;
    /** Per key, the values of this stream and of `other` in the same batch. */
    cogroup<K, V, W>(this: DStream<[K, V]>, other: DStream<[K, W]>, partitions?: PartitionSpec): DStream<[K, [V[], W[]]]>;
    join<K, V, W>(this: DStream<[K, V]>, other: DStream<[K, W]>, partitions?: PartitionSpec): DStream<[K, [V, W]]>;
    /** Join keeping every left record; a missing right side is `undefined`. */
    leftOuterJoin<K, V, W>(this: DStream<[K, V]>, other: DStream<[K, W]>, partitions?: PartitionSpec): DStream<[K, [V, W | undefined]]>;
    /** Join keeping every right record; a missing left side is `undefined`. */
    rightOuterJoin<K, V, W>(this: DStream<[K, V]>, other: DStream<[K, W]>, partitions?: PartitionSpec): DStream<[K, [V | undefined, W]]>;
    /** Join keeping records of both sides; a missing side is `undefined`. */
    fullOuterJoin<K, V, W>(
      this: DStream<[K, V]>,
      other: DStream<[K, W]>,
      partitions?: PartitionSpec,
    ): DStream<[K, [V | undefined, W | undefined]]>;
  }
}

function toPartitioner(stream: AnyDStream, p: PartitionSpec | undefined): Partitioner {
  return p === undefined || typeof p === "number" ? defaultPartitioner(stream, p) : p;
}

DStream.prototype.mapValues = function <K, V, U>(this: DStream<[K, V]>, f: (v: V) => U): DStream<[K, U]> {
  return new MapValuedDStream(this, f);
};
DStream.prototype.flatMapValues = function <K, V, U>(this: DStream<[K, V]>, f: (v: V) => Iterable<U>): DStream<[K, U]> {
  return new FlatMapValuedDStream(this, f);
};
DStream.prototype.groupByKey = function <K, V>(this: DStream<[K, V]>, partitions?: PartitionSpec): DStream<[K, V[]]> {
  return this.combineByKey<K, V, V[]>(
    (v) => [v],
    (c, v) => (c.push(v), c),
    (a, b) => a.concat(b),
    partitions,
  );
};
DStream.prototype.reduceByKey = function <K, V>(this: DStream<[K, V]>, f: (a: V, b: V) => V, partitions?: PartitionSpec): DStream<[K, V]> {
  return this.combineByKey<K, V, V>((v) => v, f, f, partitions);
};
DStream.prototype.combineByKey = function <K, V, C>(
  this: DStream<[K, V]>,
  createCombiner: (v: V) => C,
  mergeValue: (c: C, v: V) => C,
  mergeCombiner: (c1: C, c2: C) => C,
  partitions?: PartitionSpec,
  mapSideCombine = true,
): DStream<[K, C]> {
  return new ShuffledDStream(this, createCombiner, mergeValue, mergeCombiner, toPartitioner(this, partitions), mapSideCombine);
};
DStream.prototype.cogroup = function <K, V, W>(this: DStream<[K, V]>, other: DStream<[K, W]>, partitions?: PartitionSpec) {
  const p = toPartitioner(this, partitions);
  return this.transformWith(other, (a, b) => a.cogroup(b, p));
};
DStream.prototype.join = function <K, V, W>(this: DStream<[K, V]>, other: DStream<[K, W]>, partitions?: PartitionSpec) {
  const p = toPartitioner(this, partitions);
  return this.transformWith(other, (a, b) => a.join(b, p));
};
DStream.prototype.leftOuterJoin = function <K, V, W>(this: DStream<[K, V]>, other: DStream<[K, W]>, partitions?: PartitionSpec) {
  const p = toPartitioner(this, partitions);
  return this.transformWith(other, (a, b) => a.leftOuterJoin(b, p));
};
DStream.prototype.rightOuterJoin = function <K, V, W>(this: DStream<[K, V]>, other: DStream<[K, W]>, partitions?: PartitionSpec) {
  const p = toPartitioner(this, partitions);
  return this.transformWith(other, (a, b) => a.rightOuterJoin(b, p));
};
DStream.prototype.fullOuterJoin = function <K, V, W>(this: DStream<[K, V]>, other: DStream<[K, W]>, partitions?: PartitionSpec) {
  const p = toPartitioner(this, partitions);
  return this.transformWith(other, (a, b) => a.fullOuterJoin(b, p));
};

export { toPartitioner as pairPartitioner };
