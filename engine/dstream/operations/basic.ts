import type { Time } from "../../streaming/Time";
import type { RDD } from "../../rdd/RDD";
import { HashPartitioner } from "../../rdd/Partitioner";
import { DStream, type AnyDStream } from "../DStream";
import { FilteredDStream } from "../FilteredDStream";
import { FlatMappedDStream } from "../FlatMappedDStream";
import { GlommedDStream } from "../GlommedDStream";
import { MapPartitionedDStream } from "../MapPartitionedDStream";
import { MappedDStream } from "../MappedDStream";
import { TransformedDStream } from "../TransformedDStream";
import { UnionDStream } from "../UnionDStream";

declare module "../DStream" {
  interface DStream<T> {
    /** One output record per record. */
    map<U>(mapFunc: (t: T) => U): DStream<U>;
    /** Any number of output records per record. */
    flatMap<U>(flatMapFunc: (t: T) => Iterable<U>): DStream<U>;
    /** The records for which `filterFunc` is true. */
    filter(filterFunc: (t: T) => boolean): DStream<T>;
    /** `mapPartFunc` over each whole partition of each batch. */
    mapPartitions<U>(mapPartFunc: (records: readonly T[], index: number) => Iterable<U>, preservePartitioning?: boolean): DStream<U>;
    /** One array per partition. */
    glom(): DStream<T[]>;
    /** Each batch reshuffled into `numPartitions` partitions. */
    repartition(numPartitions: number): DStream<T>;
    /** Each batch reduced to one record (`[]` for an empty batch). */
    reduce(reduceFunc: (a: T, b: T) => T): DStream<T>;
    /** Each batch's record count (`[0]` for an empty batch). */
    count(): DStream<number>;
    /** Each batch's distinct records with their counts. */
    countByValue(numPartitions?: number): DStream<[T, number]>;
    /** An RDD-to-RDD function applied to every batch (with its time as second argument). */
    transform<U>(transformFunc: (rdd: RDD<T>, time: Time) => RDD<U>): DStream<U>;
    /** An RDD function over this stream's and `other`'s batches of the same time. */
    transformWith<U, V>(other: DStream<U>, transformFunc: (rdd: RDD<T>, other: RDD<U>, time: Time) => RDD<V>): DStream<V>;
    /** This stream's batches followed by `other`'s (same slide). */
    union(other: DStream<T>): DStream<T>;
  }
}

DStream.prototype.map = function <T, U>(this: DStream<T>, mapFunc: (t: T) => U): DStream<U> {
  return new MappedDStream(this, mapFunc);
};
DStream.prototype.flatMap = function <T, U>(this: DStream<T>, flatMapFunc: (t: T) => Iterable<U>): DStream<U> {
  return new FlatMappedDStream(this, flatMapFunc);
};
DStream.prototype.filter = function <T>(this: DStream<T>, filterFunc: (t: T) => boolean): DStream<T> {
  return new FilteredDStream(this, filterFunc);
};
DStream.prototype.mapPartitions = function <T, U>(
  this: DStream<T>,
  mapPartFunc: (records: readonly T[], index: number) => Iterable<U>,
  preservePartitioning = false,
): DStream<U> {
  return new MapPartitionedDStream(this, mapPartFunc, preservePartitioning);
};
DStream.prototype.glom = function <T>(this: DStream<T>): DStream<T[]> {
  return new GlommedDStream(this);
};
DStream.prototype.repartition = function <T>(this: DStream<T>, numPartitions: number): DStream<T> {
  return this.transform((rdd) => rdd.repartition(numPartitions));
};
DStream.prototype.reduce = function <T>(this: DStream<T>, reduceFunc: (a: T, b: T) => T): DStream<T> {
  return this.map((t) => [null, t] as [null, T]).reduceByKey(reduceFunc, 1).map((kv) => kv[1]);
};
DStream.prototype.count = function <T>(this: DStream<T>): DStream<number> {
  // The union with (null, 0) makes an empty batch count as [0], as in Spark.
  const sc = this.ssc.sparkContext;
  return this.map(() => [null, 1] as [null, number])
    .transform((rdd) => rdd.union(sc.makeRDD([[null, 0] as [null, number]], 1)))
    .reduceByKey((a, b) => a + b)
    .map((kv) => kv[1]);
};
DStream.prototype.countByValue = function <T>(this: DStream<T>, numPartitions?: number): DStream<[T, number]> {
  return this.map((t) => [t, 1] as [T, number]).reduceByKey((a, b) => a + b, numPartitions);
};
DStream.prototype.transform = function <T, U>(this: DStream<T>, transformFunc: (rdd: RDD<T>, time: Time) => RDD<U>): DStream<U> {
  return new TransformedDStream<U>([this], (rdds, time) => transformFunc(rdds[0] as RDD<T>, time));
};
DStream.prototype.transformWith = function <T, U, V>(
  this: DStream<T>,
  other: DStream<U>,
  transformFunc: (rdd: RDD<T>, other: RDD<U>, time: Time) => RDD<V>,
): DStream<V> {
  return new TransformedDStream<V>([this, other], (rdds, time) => transformFunc(rdds[0] as RDD<T>, rdds[1] as RDD<U>, time));
};
DStream.prototype.union = function <T>(this: DStream<T>, other: DStream<T>): DStream<T> {
  return new UnionDStream([this, other]);
};

/** The default partitioner of DStream shuffles: hash over the context's default parallelism. */
export function defaultPartitioner(stream: AnyDStream, numPartitions?: number): HashPartitioner {
  return new HashPartitioner(numPartitions ?? stream.ssc.sparkContext.defaultParallelism);
}
