import type { DStream } from "../dstream/DStream";
import type { RDD } from "../rdd/RDD";
import { StateSpec } from "../state/StateSpec";
import { Milliseconds } from "../streaming/Duration";
import type { MapWithStateSpec, RddView, Stream } from "./catalog/types";

/** A stream of unknown records; the catalog types records as `unknown`. */
type D = DStream<unknown>;
type P = DStream<[unknown, unknown]>;
const ms = Milliseconds;
const appendAll = (a: unknown[], b: unknown[]): unknown[] => {
  for (let i = 0; i < b.length; i++) a.push(b[i]);
  return a;
};

/**
 * The catalog's `Stream` over an engine DStream. Durations arrive as whole milliseconds and
 * become the engine's `Duration`s here, so the catalog stays free of engine imports.
 */
export class EngineStream implements Stream {
  constructor(readonly dstream: D) {}
  private wrap(d: DStream<unknown> | DStream<unknown[]> | DStream<number> | DStream<[unknown, unknown]>): EngineStream {
    return new EngineStream(d as D);
  }
  private get pair(): P {
    return this.dstream as P;
  }
  private static of(s: Stream): D {
    return (s as EngineStream).dstream;
  }

  map(f: (r: unknown) => unknown) { return this.wrap(this.dstream.map(f)); }
  flatMap(f: (r: unknown) => Iterable<unknown>) { return this.wrap(this.dstream.flatMap(f)); }
  filter(f: (r: unknown) => boolean) { return this.wrap(this.dstream.filter(f)); }
  mapPartitions(f: (records: unknown[]) => Iterable<unknown>) { return this.wrap(this.dstream.mapPartitions((records) => f([...records]))); }
  glom() { return this.wrap(this.dstream.glom()); }
  cache() { return this.wrap(this.dstream.cache()); }
  repartition(n: number) { return this.wrap(this.dstream.repartition(n)); }
  union(other: Stream) { return this.wrap(this.dstream.union(EngineStream.of(other))); }
  count() { return this.wrap(this.dstream.count()); }
  countByValue() { return this.wrap(this.dstream.countByValue() as DStream<[unknown, unknown]>); }
  reduce(f: (a: unknown, b: unknown) => unknown) { return this.wrap(this.dstream.reduce(f)); }
  transform(f: (records: RddView) => RddView) {
    return this.wrap(this.dstream.transform((rdd: RDD<unknown>) => rdd.sc.makeRDD(f(rdd.collect()), rdd.getNumPartitions())));
  }
  transformWith(other: Stream, f: (left: RddView, right: RddView, timeMs: number) => RddView) {
    return this.wrap(
      this.dstream.transformWith(EngineStream.of(other), (a: RDD<unknown>, b: RDD<unknown>, time) =>
        a.sc.makeRDD(f(a.collect(), b.collect(), time.milliseconds), Math.max(a.getNumPartitions(), b.getNumPartitions())),
      ),
    );
  }
  window(windowMs: number, slideMs?: number) { return this.wrap(this.dstream.window(ms(windowMs), slideMs === undefined ? undefined : ms(slideMs))); }
  countByWindow(windowMs: number, slideMs: number) { return this.wrap(this.dstream.countByWindow(ms(windowMs), ms(slideMs))); }
  reduceByWindow(f: (a: unknown, b: unknown) => unknown, windowMs: number, slideMs: number) {
    return this.wrap(this.dstream.reduceByWindow(f, ms(windowMs), ms(slideMs)));
  }
  countByValueAndWindow(windowMs: number, slideMs: number, filterFunc?: (kv: unknown) => boolean) {
    if (filterFunc === undefined) return this.wrap(this.dstream.countByValueAndWindow(ms(windowMs), ms(slideMs)) as DStream<[unknown, unknown]>);
    // Spark's countByValueAndWindow with the node's filter in place of its "count != 0".
    const counts = this.dstream.map((t) => [t, 1] as [unknown, number]);
    return this.wrap(counts.reduceByKeyAndWindow((a, b) => a + b, (a, b) => a - b, ms(windowMs), ms(slideMs), undefined, filterFunc) as DStream<[unknown, unknown]>);
  }
  mapValues(f: (v: unknown) => unknown) { return this.wrap(this.pair.mapValues(f)); }
  flatMapValues(f: (v: unknown) => Iterable<unknown>) { return this.wrap(this.pair.flatMapValues(f)); }
  groupByKey() { return this.wrap(this.pair.groupByKey() as DStream<[unknown, unknown]>); }
  reduceByKey(f: (a: unknown, b: unknown) => unknown) { return this.wrap(this.pair.reduceByKey(f)); }
  combineByKey(create: (v: unknown) => unknown, merge: (c: unknown, v: unknown) => unknown, mergeCombiners: (a: unknown, b: unknown) => unknown, numPartitions?: number) {
    return this.wrap(this.pair.combineByKey(create, merge, mergeCombiners, numPartitions));
  }
  groupByKeyAndWindow(windowMs: number, slideMs: number) { return this.wrap(this.pair.groupByKeyAndWindow(ms(windowMs), ms(slideMs)) as DStream<[unknown, unknown]>); }
  reduceByKeyAndWindow(
    f: (a: unknown, b: unknown) => unknown,
    windowMs: number,
    slideMs: number,
    inverse?: (a: unknown, b: unknown) => unknown,
    filterFunc?: (kv: unknown) => boolean,
  ) {
    if (inverse) return this.wrap(this.pair.reduceByKeyAndWindow(f, inverse, ms(windowMs), ms(slideMs), undefined, filterFunc));
    const reduced = this.pair.reduceByKeyAndWindow(f, ms(windowMs), ms(slideMs));
    return this.wrap(filterFunc ? reduced.filter(filterFunc) : reduced);
  }
  listByKeyAndWindow(windowMs: number, slideMs: number, diff: (a: unknown[], b: unknown[]) => unknown[]) {
    // Each batch's lists are built by push (they are the batch's own); windows concatenate.
    const lists = this.pair.combineByKeyAndWindow<unknown, unknown, unknown[]>(
      { createCombiner: (v) => [v], mergeValue: (c, v) => (c.push(v), c), mergeCombiners: appendAll },
      (a, b) => a.concat(b),
      diff,
      ms(windowMs),
      ms(slideMs),
    );
    return this.wrap(lists as DStream<[unknown, unknown]>);
  }
  updateStateByKey(f: (values: unknown[], state: unknown) => unknown) {
    return this.wrap(this.pair.updateStateByKey<unknown, unknown, unknown>((values, state) => f(values, state)));
  }
  mapWithState(spec: MapWithStateSpec): { mapped: Stream; snapshots: Stream } {
    let stateSpec = StateSpec.function<unknown, unknown, unknown, unknown>((key, value, state) => spec.fn(key, value, state));
    if (spec.timeoutMs !== undefined) stateSpec = stateSpec.timeout(ms(spec.timeoutMs));
    if (spec.numPartitions !== undefined) stateSpec = stateSpec.numPartitions(spec.numPartitions);
    const mapped = this.pair.mapWithState(stateSpec);
    return { mapped: this.wrap(mapped as D), snapshots: this.wrap(mapped.stateSnapshots()) };
  }
  join(other: Stream) { return this.wrap(this.pair.join(EngineStream.of(other) as P) as DStream<[unknown, unknown]>); }
  leftOuterJoin(other: Stream) { return this.wrap(this.pair.leftOuterJoin(EngineStream.of(other) as P) as DStream<[unknown, unknown]>); }
  rightOuterJoin(other: Stream) { return this.wrap(this.pair.rightOuterJoin(EngineStream.of(other) as P) as DStream<[unknown, unknown]>); }
  fullOuterJoin(other: Stream) { return this.wrap(this.pair.fullOuterJoin(EngineStream.of(other) as P) as DStream<[unknown, unknown]>); }
  cogroup(other: Stream) { return this.wrap(this.pair.cogroup(EngineStream.of(other) as P) as DStream<[unknown, unknown]>); }
}
