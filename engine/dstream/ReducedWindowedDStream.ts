import type { Duration } from "../streaming/Duration";
import { require } from "../streaming/errors";
import { Interval, type Time } from "../streaming/Time";
import type { Partitioner } from "../rdd/Partitioner";
import { RDD } from "../rdd/RDD";
import { cogroupWindow, type WindowGroup } from "../rdd/shuffle";
import { StorageLevel } from "../rdd/StorageLevel";
import { DStream, type AnyDStream } from "./DStream";
import { ShuffledDStream } from "./ShuffledDStream";

/**
 * `reduceByKeyAndWindow(f, invF, w, s)`: the window's per-key reduction, updated by deltas.
 * Each output is the previous output, minus (invF) the batches that left, plus (f) the ones
 * that entered, so the cost follows the slide's data, not the window's:
 *
 *     |<-------- previous window -------->|
 *     |  old  |                            |
 *     |_______|___________________________|_______
 *             |<-------- current window --------->|
 *                                          |  new  |
 *
 *   old = batches in [prev.begin, cur.begin - parentSlide]
 *   new = batches in [prev.end + parentSlide, cur.end]
 *
 * Keys are never dropped on their own (a key whose values all left stays with the inverse's
 * result, e.g. 0); `filterFunc` removes them, and since the output is also the next "previous
 * window", filtered keys really leave. The stream depends on its own previous RDD, so it must be
 * checkpointed.
 *
 * Each batch is reduced per key first (`reduceByKey(reduceFunc)`), or, given `batchCombiner`,
 * combined per key from the parent's raw values (`combineByKey`), which may build its
 * combiners in place where `reduceFunc` has to copy (a list by push rather than by `++`).
 */
export class ReducedWindowedDStream<K, V, R = V> extends DStream<[K, V]> {
  private readonly reducedStream: DStream<[K, V]>;

  constructor(
    readonly parent: DStream<[K, R]>,
    private readonly reduceFunc: (a: V, b: V) => V,
    private readonly invReduceFunc: (a: V, b: V) => V,
    private readonly filterFunc: ((kv: [K, V]) => boolean) | undefined,
    readonly windowDuration: Duration,
    private readonly slide: Duration,
    private readonly partitioner: Partitioner,
    batchCombiner?: BatchCombiner<R, V>,
  ) {
    super(parent.ssc);
    require(windowDuration.isMultipleOf(parent.slideDuration), () =>
      `The window duration of ReducedWindowedDStream (${windowDuration}) must be multiple of the slide duration of parent DStream (${parent.slideDuration}) [parent: ${parent}]`);
    require(slide.isMultipleOf(parent.slideDuration), () =>
      `The slide duration of ReducedWindowedDStream (${slide}) must be multiple of the slide duration of parent DStream (${parent.slideDuration}) [parent: ${parent}]`);
    const c: BatchCombiner<R, V> = batchCombiner ?? {
      createCombiner: (v) => v as unknown as V,
      mergeValue: reduceFunc as unknown as (c: V, v: R) => V,
      mergeCombiners: reduceFunc,
    };
    this.reducedStream = new ShuffledDStream<K, R, V>(parent, c.createCombiner, c.mergeValue, c.mergeCombiners, partitioner);
    this.mustCheckpoint = true;
    super.persist(StorageLevel.MEMORY_ONLY_SER);
    this.reducedStream.persist(StorageLevel.MEMORY_ONLY_SER);
  }

  get dependencies(): readonly AnyDStream[] {
    return [this.reducedStream];
  }
  get slideDuration(): Duration {
    return this.slide;
  }
  protected override get parentRememberDuration(): Duration | undefined {
    return this.rememberDuration?.plus(this.windowDuration);
  }
  override persist(level: StorageLevel = StorageLevel.MEMORY_ONLY_SER): this {
    super.persist(level);
    this.reducedStream.persist(level);
    return this;
  }

  /**
   * A checkpoint keeps the latest window (the "previous window" of the next one) and the per-batch
   * reductions the coming windows will add or subtract: those of (last - window, time]. After a
   * restart they cannot be recomputed from a receiver's input, which is gone.
   */
  override checkpointRDDs(time: Time): [AnyDStream, Time][] {
    const last = this.latestTimeAtOrBefore(time);
    if (last === undefined) return [];
    const ps = this.parent.slideDuration;
    const reduced = this.reducedStream
      .sliceTimes(last.minus(this.windowDuration).plus(ps), time)
      .filter((t) => this.reducedStream.isTimeValid(t))
      .map((t): [AnyDStream, Time] => [this.reducedStream, t]);
    return [[this as AnyDStream, last], ...reduced];
  }

  /** The per-batch reduction follows this stream's id: `<id>/reduced`, stable across rebuilds. */
  override withId(id: string): this {
    super.withId(id);
    this.reducedStream.withId(`${id}/reduced`);
    return this;
  }

  compute(validTime: Time): RDD<[K, V]> {
    const ps = this.parent.slideDuration;
    const current = new Interval(validTime.minus(this.windowDuration).plus(ps), validTime);
    const previous = current.minus(this.slide);
    const oldTimes = this.reducedStream.sliceTimes(previous.beginTime, current.beginTime.minus(ps));
    const newTimes = this.reducedStream.sliceTimes(previous.endTime.plus(ps), current.endTime);
    const rddsAt = (times: Time[]) => times.flatMap((t) => this.reducedStream.getOrCompute(t) ?? []);
    const oldRDDs = rddsAt(oldTimes);
    const newRDDs = rddsAt(newTimes);
    const previousRDD = this.getOrCompute(previous.endTime) ?? this.ssc.sparkContext.emptyRDD<[K, V]>();
    if (this.ssc.listenerBus.hasListeners) this.postWindowEvent(validTime, current, oldTimes, newTimes);

    const all = [previousRDD, ...oldRDDs, ...newRDDs];
    const numOld = oldRDDs.length;
    const partitioner = this.partitioner;
    let groups: WindowGroup<K, V>[][] | undefined;
    let pending = partitioner.numPartitions;
    // One pass groups the keys (cogroup's order), then each partition reduces its keys; the
    // groups are let go once every partition has been computed (the result is persisted).
    const merged = new RDD<[K, V]>(
      this.ssc.sparkContext,
      partitioner.numPartitions,
      (i) => {
        groups ??= cogroupWindow(all, numOld, partitioner);
        const bucket = groups[i];
        const out = new Array<[K, V]>(bucket.length);
        for (let j = 0; j < bucket.length; j++) out[j] = [bucket[j].key, this.windowValue(bucket[j])];
        if (--pending === 0) groups = undefined;
        return out;
      },
      all as RDD<unknown>[],
      partitioner,
    );
    return this.filterFunc === undefined ? merged : merged.filter(this.filterFunc);
  }

  /** A key's value in the new window: previous - old + new, each side reduced in batch order. */
  private windowValue(g: WindowGroup<K, V>): V {
    const f = this.reduceFunc;
    let oldValue: V | undefined;
    const old = g.old;
    if (old !== undefined) {
      oldValue = old[0];
      for (let i = 1; i < old.length; i++) oldValue = f(oldValue, old[i]);
    }
    let newValue: V | undefined;
    const entering = g.entering;
    if (entering !== undefined) {
      newValue = entering[0];
      for (let i = 1; i < entering.length; i++) newValue = f(newValue, entering[i]);
    }
    if (!g.hasPrevious) {
      if (entering === undefined) {
        throw new Error("Neither previous window has value for key, nor new values found. Are you sure your key class hashes consistently?");
      }
      return newValue as V;
    }
    let value = g.previous as V;
    if (old !== undefined) value = this.invReduceFunc(value, oldValue as V);
    if (entering !== undefined) value = f(value, newValue as V);
    return value;
  }

  private postWindowEvent(time: Time, window: Interval, oldTimes: Time[], newTimes: Time[]): void {
    const valid = (ts: Time[]): number[] => ts.filter((t) => this.reducedStream.isTimeValid(t)).map((t) => t.milliseconds);
    this.ssc.listenerBus.post({
      type: "window",
      batchTimeMs: time.milliseconds,
      streamId: this.id,
      streamName: this.name,
      windowStartMs: time.milliseconds - this.windowDuration.milliseconds,
      windowEndMs: time.milliseconds,
      windowDurationMs: this.windowDuration.milliseconds,
      slideDurationMs: this.slide.milliseconds,
      coveredTimesMs: valid(this.reducedStream.sliceTimes(window.beginTime, window.endTime)),
      enteredTimesMs: valid(newTimes),
      leftTimesMs: valid(oldTimes),
    });
  }
}

/** combineByKey's three functions, for a window's per-batch reduction from raw values. */
export interface BatchCombiner<R, V> {
  createCombiner: (v: R) => V;
  mergeValue: (c: V, v: R) => V;
  mergeCombiners: (a: V, b: V) => V;
}
