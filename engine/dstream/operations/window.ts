import type { Duration } from "../../streaming/Duration";
import { DStream } from "../DStream";
import { ReducedWindowedDStream, type BatchCombiner } from "../ReducedWindowedDStream";
import { WindowedDStream } from "../WindowedDStream";
import { pairPartitioner, type PartitionSpec } from "./pair";

declare module "../DStream" {
  interface DStream<T> {
    /** Every `slideDuration` (default: this stream's slide), the union of the batches of the last `windowDuration`. */
    window(windowDuration: Duration, slideDuration?: Duration): DStream<T>;
    /** Records per window; computed by deltas, so it needs a checkpoint directory. */
    countByWindow(windowDuration: Duration, slideDuration: Duration): DStream<number>;
    /** The window reduced to one record: `reduce(f).window(w, s).reduce(f)`. */
    reduceByWindow(reduceFunc: (a: T, b: T) => T, windowDuration: Duration, slideDuration: Duration): DStream<T>;
    /** The window reduced by deltas with an inverse function (needs a checkpoint directory). */
    reduceByWindow(
      reduceFunc: (a: T, b: T) => T,
      invReduceFunc: (a: T, b: T) => T,
      windowDuration: Duration,
      slideDuration: Duration,
    ): DStream<T>;
    /** Counts of each distinct record in the window (zero counts dropped; needs a checkpoint directory). */
    countByValueAndWindow(windowDuration: Duration, slideDuration: Duration, partitions?: PartitionSpec): DStream<[T, number]>;
    /** Values reduced per key over the window: `reduceByKey(f).window(w, s).reduceByKey(f)`. */
    reduceByKeyAndWindow<K, V>(
      this: DStream<[K, V]>,
      reduceFunc: (a: V, b: V) => V,
      windowDuration: Duration,
      slideDuration?: Duration,
      partitions?: PartitionSpec,
    ): DStream<[K, V]>;
    /**
     * Values reduced per key over the window by deltas: adds entering batches with `reduceFunc`
     * and removes leaving ones with `invReduceFunc`; `filterFunc` drops keys (e.g. zero counts).
     */
    reduceByKeyAndWindow<K, V>(
      this: DStream<[K, V]>,
      reduceFunc: (a: V, b: V) => V,
      invReduceFunc: (a: V, b: V) => V,
      windowDuration: Duration,
      slideDuration?: Duration,
      partitions?: PartitionSpec,
      filterFunc?: (kv: [K, V]) => boolean,
    ): DStream<[K, V]>;
    /**
     * `mapValues(createCombiner).reduceByKeyAndWindow(reduceFunc, invReduceFunc, ...)` with each
     * batch combined by `combineByKey(createCombiner, mergeValue, mergeCombiners)` straight from
     * the raw values. The same result when `mergeValue(c, v)` equals `reduceFunc(c, createCombiner(v))`
     * and `mergeCombiners` equals `reduceFunc`; the batch's combiners are its own, so those two may
     * change `c` in place (e.g. a list by push where `reduceFunc` concatenates).
     */
    combineByKeyAndWindow<K, R, V>(
      this: DStream<[K, R]>,
      batchCombiner: BatchCombiner<R, V>,
      reduceFunc: (a: V, b: V) => V,
      invReduceFunc: (a: V, b: V) => V,
      windowDuration: Duration,
      slideDuration?: Duration,
      partitions?: PartitionSpec,
      filterFunc?: (kv: [K, V]) => boolean,
    ): DStream<[K, V]>;
    /** Values grouped per key over the window. */
    groupByKeyAndWindow<K, V>(this: DStream<[K, V]>, windowDuration: Duration, slideDuration?: Duration, partitions?: PartitionSpec): DStream<[K, V[]]>;
  }
}

type Reduce<V> = (a: V, b: V) => V;

DStream.prototype.window = function <T>(this: DStream<T>, windowDuration: Duration, slideDuration?: Duration): DStream<T> {
  return new WindowedDStream(this, windowDuration, slideDuration ?? this.slideDuration);
};

DStream.prototype.reduceByWindow = function <T>(
  this: DStream<T>,
  reduceFunc: Reduce<T>,
  b: Reduce<T> | Duration,
  c: Duration,
  d?: Duration,
): DStream<T> {
  if (typeof b !== "function") return this.reduce(reduceFunc).window(b, c).reduce(reduceFunc);
  return this.map((t) => [1, t] as [number, T])
    .reduceByKeyAndWindow(reduceFunc, b, c, d, 1)
    .map((kv) => kv[1]);
};

DStream.prototype.countByWindow = function <T>(this: DStream<T>, windowDuration: Duration, slideDuration: Duration): DStream<number> {
  return this.map(() => 1).reduceByWindow(
    (a, b) => a + b,
    (a, b) => a - b,
    windowDuration,
    slideDuration,
  );
};

DStream.prototype.countByValueAndWindow = function <T>(
  this: DStream<T>,
  windowDuration: Duration,
  slideDuration: Duration,
  partitions?: PartitionSpec,
): DStream<[T, number]> {
  return this.map((t) => [t, 1] as [T, number]).reduceByKeyAndWindow(
    (a, b) => a + b,
    (a, b) => a - b,
    windowDuration,
    slideDuration,
    partitions,
    (kv) => kv[1] !== 0,
  );
};

DStream.prototype.reduceByKeyAndWindow = function <K, V>(
  this: DStream<[K, V]>,
  reduceFunc: Reduce<V>,
  b: Reduce<V> | Duration,
  c?: Duration,
  d?: Duration | PartitionSpec,
  e?: PartitionSpec,
  filterFunc?: (kv: [K, V]) => boolean,
): DStream<[K, V]> {
  if (typeof b !== "function") {
    const partitions = d as PartitionSpec | undefined;
    return this.reduceByKey(reduceFunc, partitions).window(b, c).reduceByKey(reduceFunc, partitions);
  }
  const windowDuration = c!;
  const slide = (d as Duration | undefined) ?? this.slideDuration;
  return new ReducedWindowedDStream(this, reduceFunc, b, filterFunc, windowDuration, slide, pairPartitioner(this, e));
};

DStream.prototype.combineByKeyAndWindow = function <K, R, V>(
  this: DStream<[K, R]>,
  batchCombiner: BatchCombiner<R, V>,
  reduceFunc: Reduce<V>,
  invReduceFunc: Reduce<V>,
  windowDuration: Duration,
  slideDuration?: Duration,
  partitions?: PartitionSpec,
  filterFunc?: (kv: [K, V]) => boolean,
): DStream<[K, V]> {
  const slide = slideDuration ?? this.slideDuration;
  return new ReducedWindowedDStream<K, V, R>(this, reduceFunc, invReduceFunc, filterFunc, windowDuration, slide, pairPartitioner(this, partitions), batchCombiner);
};

DStream.prototype.groupByKeyAndWindow = function <K, V>(
  this: DStream<[K, V]>,
  windowDuration: Duration,
  slideDuration?: Duration,
  partitions?: PartitionSpec,
): DStream<[K, V[]]> {
  return this.groupByKey(partitions)
    .window(windowDuration, slideDuration)
    .combineByKey<K, V[], V[]>(
      (vs) => vs.slice(),
      (buf, vs) => (buf.push(...vs), buf),
      (a, b) => (a.push(...b), a),
      partitions,
    );
};
