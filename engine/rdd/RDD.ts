import { StreamOperationError } from "../streaming/errors";
import { HashPartitioner, toPartitioner, type Partitioner } from "./Partitioner";
import { StorageLevel } from "./StorageLevel";
import { combineByKey, cogroup } from "./shuffle";
import { keyId, type KeyId } from "./keys";
import type { SparkContext } from "./SparkContext";

/** Computes one partition of an RDD as an array of records. */
export type PartitionFn<T> = (split: number) => readonly T[];

/** Receives each partition the first time it is computed, to count records per stream and batch. */
export interface RDDObserver {
  observe(origin: RDDOrigin, split: number, numPartitions: number, records: readonly unknown[]): void;
}

/** The stream and batch an RDD was generated for; failures inside it are attributed to them. */
export interface RDDOrigin {
  readonly streamId: string;
  readonly streamName: string;
  readonly timeMs: number;
  observer?: RDDObserver;
}

/**
 * An immutable, partitioned, lazily computed dataset: the RDD of one batch. Partitions are plain
 * arrays (the hot paths loop over them without iterators). Transformations build new RDDs;
 * actions (`collect`, `count`, ...) compute partitions, reading persisted copies when present.
 */
export class RDD<T> {
  readonly id: number;
  name: string | undefined;
  origin: RDDOrigin | undefined;
  private computeFn: PartitionFn<T> | undefined;
  private deps: readonly RDD<unknown>[];
  private level: StorageLevel = StorageLevel.NONE;
  private checkpointMarked = false;
  private checkpointData: (readonly T[])[] | undefined;
  private observed: Uint8Array | undefined;
  /** For map, filter, flatMap and mapValues: the parent and the per-record step (see runNarrow). */
  private narrowParent: RDD<unknown> | undefined;
  private narrowStep: NarrowStep | undefined;

  constructor(
    readonly sc: SparkContext,
    readonly numPartitions: number,
    compute: PartitionFn<T>,
    deps: readonly RDD<unknown>[] = [],
    readonly partitioner?: Partitioner,
  ) {
    this.id = sc.newRddId();
    this.computeFn = compute;
    this.deps = deps;
  }

  /** An RDD over already materialized partitions. */
  static fromPartitions<T>(sc: SparkContext, parts: readonly (readonly T[])[], partitioner?: Partitioner): RDD<T> {
    return new RDD<T>(sc, parts.length, (i) => parts[i], [], partitioner);
  }

  /** The records of partition `split`, computing them (once, when persisted) if needed. */
  iterator(split: number): readonly T[] {
    if (this.checkpointData !== undefined) return this.checkpointData[split];
    const persisted = this.level !== StorageLevel.NONE;
    if (persisted) {
      const cached = this.sc.blockManager.get<T>(this.id, split);
      if (cached !== undefined) return cached;
    }
    let data: readonly T[];
    try {
      data = this.computeFn!(split);
    } catch (e) {
      throw this.attribute(e);
    }
    if (persisted) this.sc.blockManager.put(this.id, split, data, this.level);
    if (this.origin?.observer !== undefined) this.observe(split, data);
    return data;
  }

  /** @internal `e` as a failure of this RDD's stream and batch (unless already attributed). */
  attributeError(e: unknown): unknown {
    return this.attribute(e);
  }
  private attribute(e: unknown): unknown {
    if (e instanceof StreamOperationError || this.origin === undefined) return e;
    return new StreamOperationError(this.origin.streamId, this.origin.streamName, this.origin.timeMs, e);
  }

  private observe(split: number, data: readonly T[]): void {
    this.observed ??= new Uint8Array(this.numPartitions);
    if (this.observed[split] === 1) return;
    this.observed[split] = 1;
    this.origin!.observer!.observe(this.origin!, split, this.numPartitions, data);
  }

  /** Partition descriptors, as Spark's `rdd.partitions` (use `glom()` for their contents). */
  get partitions(): readonly { readonly index: number }[] {
    return Array.from({ length: this.numPartitions }, (_, index) => ({ index }));
  }
  getNumPartitions(): number {
    return this.numPartitions;
  }
  /** The parent RDDs (empty after a checkpoint truncated the lineage). */
  get dependencies(): readonly RDD<unknown>[] {
    return this.deps;
  }
  setName(name: string): this {
    this.name = name;
    return this;
  }

  // ---- persistence -------------------------------------------------------------------------

  /** Keeps computed partitions at `level` (MEMORY_ONLY by default, as Spark's RDD.persist). */
  persist(level: StorageLevel = StorageLevel.MEMORY_ONLY): this {
    if (this.level !== StorageLevel.NONE && !this.level.equals(level)) {
      throw new Error(`Cannot change storage level of an RDD after it was already assigned a level (${this.level} -> ${level})`);
    }
    this.level = level;
    return this;
  }
  cache(): this {
    return this.persist();
  }
  /** Drops persisted partitions; later reads recompute them. */
  unpersist(): this {
    this.sc.blockManager.remove(this.id);
    this.level = StorageLevel.NONE;
    return this;
  }
  getStorageLevel(): StorageLevel {
    return this.level;
  }

  /** Marks this RDD for checkpointing: `doCheckpoint` then materializes it and cuts its lineage. */
  checkpoint(): void {
    this.checkpointMarked = true;
  }
  isCheckpointMarked(): boolean {
    return this.checkpointMarked;
  }
  isCheckpointed(): boolean {
    return this.checkpointData !== undefined;
  }
  /** Materializes a marked RDD and drops its parents; returns the partitions (for a writer). */
  doCheckpoint(): (readonly T[])[] | undefined {
    if (!this.checkpointMarked) return undefined;
    if (this.checkpointData === undefined) {
      const parts: (readonly T[])[] = [];
      for (let i = 0; i < this.numPartitions; i++) parts.push(this.iterator(i));
      this.checkpointData = parts;
      this.computeFn = undefined;
      this.deps = [];
      this.narrowParent = undefined;
    }
    return this.checkpointData;
  }

  // ---- per-record transformations -------------------------------------------------------------

  private derive<U>(compute: PartitionFn<U>, numPartitions = this.numPartitions, partitioner?: Partitioner): RDD<U> {
    return new RDD<U>(this.sc, numPartitions, compute, [this as RDD<unknown>], partitioner);
  }

  /**
   * A narrow transformation: `kind` with `f` applied record by record. Its partitions are computed
   * by `runNarrow`, which pipelines every chain of such RDDs (as Spark pipelines narrow stages):
   * records flow through all their steps in one pass, with no array per intermediate RDD.
   */
  private narrow<U>(kind: NarrowKind, f: (t: never) => unknown, partitioner?: Partitioner): RDD<U> {
    const rdd: RDD<U> = this.derive(
      (i) => {
        const out: U[] = [];
        rdd.runNarrow(i, (u) => void out.push(u as U), false);
        return out;
      },
      this.numPartitions,
      partitioner,
    );
    rdd.narrowParent = this as RDD<unknown>;
    rdd.narrowStep = { kind, f: f as (t: unknown) => unknown };
    return rdd;
  }

  /**
   * Whether a consumer may run this RDD's step itself instead of reading its partitions: not for
   * an RDD whose partitions are kept (persisted, checkpointed) or counted by an observer.
   */
  private get fusable(): boolean {
    return (
      this.narrowParent !== undefined &&
      this.computeFn !== undefined &&
      this.level === StorageLevel.NONE &&
      !this.checkpointMarked &&
      this.checkpointData === undefined &&
      this.origin?.observer === undefined
    );
  }

  /**
   * Feeds the records of partition `split` to `sink`, running this RDD's step and those of its
   * fusable narrow ancestors record by record over the nearest ancestor that must be read whole.
   * A step's error is attributed as if each RDD had been computed on its own: to the nearest RDD
   * of the chain, from the step's own upwards, that belongs to a stream (this RDD's own only when
   * `attributeSelf`; otherwise its iterator does that).
   */
  private runNarrow(split: number, sink: (u: unknown) => void, attributeSelf: boolean): void {
    const chain: RDD<unknown>[] = [];
    let base: RDD<unknown> = this as RDD<unknown>;
    do {
      chain.push(base);
      base = base.narrowParent!;
    } while (base.fusable);
    // chain[0] is this RDD, its parent next; each step feeds the one before it in the chain.
    let next = sink;
    let blame: RDD<unknown> | undefined = undefined;
    for (let c = 0; c < chain.length; c++) {
      const rdd = chain[c];
      if (rdd.origin !== undefined && (c > 0 || attributeSelf)) blame = rdd;
      next = stepSink(rdd.narrowStep!, next, blame);
    }
    const records = base.iterator(split);
    for (let j = 0; j < records.length; j++) next(records[j]);
  }

  /**
   * Runs `f` on every record of partition `split` (a shuffle's map side): a narrow RDD that is
   * not kept streams its records from its chain without building the partition.
   */
  forEachInPartition(split: number, f: (t: T) => void): void {
    if (this.fusable) {
      this.runNarrow(split, f as (u: unknown) => void, true);
      return;
    }
    const records = this.iterator(split);
    for (let j = 0; j < records.length; j++) f(records[j]);
  }

  map<U>(f: (t: T) => U): RDD<U> {
    return this.narrow<U>(NarrowKind.Map, f);
  }
  flatMap<U>(f: (t: T) => Iterable<U>): RDD<U> {
    return this.narrow<U>(NarrowKind.FlatMap, f);
  }
  filter(f: (t: T) => boolean): RDD<T> {
    return this.narrow<T>(NarrowKind.Filter, f, this.partitioner);
  }
  /** Applies `f` to each whole partition (Spark passes an iterator; here the partition's array). */
  mapPartitions<U>(f: (records: readonly T[], index: number) => Iterable<U>, preservesPartitioning = false): RDD<U> {
    return this.derive(
      (i) => {
        const r = f(this.iterator(i), i);
        return Array.isArray(r) ? r : [...r];
      },
      this.numPartitions,
      preservesPartitioning ? this.partitioner : undefined,
    );
  }
  mapPartitionsWithIndex<U>(f: (index: number, records: readonly T[]) => Iterable<U>): RDD<U> {
    return this.mapPartitions((records, index) => f(index, records));
  }
  /** One array per partition holding that partition's records. */
  glom(): RDD<T[]> {
    return this.derive((i) => [this.iterator(i).slice()]);
  }
  keyBy<K>(f: (t: T) => K): RDD<[K, T]> {
    return this.map((t) => [f(t), t]);
  }
  /** The partitions of this RDD followed by those of `others`, in order. */
  union(...others: RDD<T>[]): RDD<T> {
    return RDD.unionAll(this.sc, [this, ...others]);
  }
  static unionAll<T>(sc: SparkContext, rdds: readonly RDD<T>[]): RDD<T> {
    const index: [RDD<T>, number][] = [];
    for (const r of rdds) for (let i = 0; i < r.numPartitions; i++) index.push([r, i]);
    return new RDD<T>(sc, index.length, (i) => index[i][0].iterator(index[i][1]), rdds as RDD<unknown>[]);
  }
  /** Reshuffles into `n` partitions (round robin; only the partition count is defined). */
  repartition(n: number): RDD<T> {
    let spread: T[][] | undefined;
    return this.derive((i) => {
      if (spread === undefined) {
        const out: T[][] = Array.from({ length: n }, () => []);
        for (let p = 0; p < this.numPartitions; p++) {
          const src = this.iterator(p);
          for (let j = 0; j < src.length; j++) out[(p + j) % n].push(src[j]);
        }
        spread = out;
      }
      return spread[i];
    }, n);
  }
  /** Merges neighbouring partitions down to `n` without a shuffle (or repartitions when `shuffle`). */
  coalesce(n: number, shuffle = false): RDD<T> {
    if (shuffle || n >= this.numPartitions) return shuffle ? this.repartition(n) : this;
    const parts = this.numPartitions;
    return this.derive((i) => {
      const from = Math.floor((i * parts) / n);
      const to = Math.floor(((i + 1) * parts) / n);
      const out: T[] = [];
      for (let p = from; p < to; p++) for (const r of this.iterator(p)) out.push(r);
      return out;
    }, n);
  }
  /**
   * Spark's distinct: an RDD already partitioned into `numPartitions` (default: its own count)
   * drops duplicates inside each partition and keeps its partitioner; otherwise a shuffle.
   */
  distinct(numPartitions = this.numPartitions): RDD<T> {
    if (this.partitioner !== undefined && numPartitions === this.numPartitions) {
      return this.mapPartitions((records) => {
        const seen = new Map<KeyId, T>();
        for (const t of records) if (!seen.has(keyId(t))) seen.set(keyId(t), t);
        return [...seen.values()];
      }, true);
    }
    return (this.map((t) => [t, null] as [T, null]) as RDD<[T, null]>).reduceByKey((a) => a, numPartitions).map((kv) => kv[0]);
  }

  // ---- actions ---------------------------------------------------------------------------

  /** All records, partition by partition. */
  collect(): T[] {
    const out: T[] = [];
    for (let i = 0; i < this.numPartitions; i++) {
      const part = this.iterator(i);
      for (let j = 0; j < part.length; j++) out.push(part[j]);
    }
    return out;
  }
  count(): number {
    let n = 0;
    for (let i = 0; i < this.numPartitions; i++) n += this.iterator(i).length;
    return n;
  }
  /** The first `num` records, computing partitions one at a time only as far as needed. */
  take(num: number): T[] {
    const out: T[] = [];
    for (let i = 0; i < this.numPartitions && out.length < num; i++) {
      const part = this.iterator(i);
      for (let j = 0; j < part.length && out.length < num; j++) out.push(part[j]);
    }
    return out;
  }
  first(): T {
    const t = this.take(1);
    if (t.length === 0) throw new Error("empty collection");
    return t[0];
  }
  isEmpty(): boolean {
    return this.take(1).length === 0;
  }
  foreach(f: (t: T) => void): void {
    for (let i = 0; i < this.numPartitions; i++) for (const r of this.iterator(i)) f(r);
  }
  foreachPartition(f: (records: readonly T[], index: number) => void): void {
    for (let i = 0; i < this.numPartitions; i++) f(this.iterator(i), i);
  }
  /** Reduces all records with an associative `f`; throws on an empty RDD, as Spark does. */
  reduce(f: (a: T, b: T) => T): T {
    let has = false;
    let acc!: T;
    for (let i = 0; i < this.numPartitions; i++) {
      const part = this.iterator(i);
      for (let j = 0; j < part.length; j++) {
        if (has) acc = f(acc, part[j]);
        else {
          acc = part[j];
          has = true;
        }
      }
    }
    if (!has) throw new Error("UnsupportedOperationException: empty collection");
    return acc;
  }
  fold(zero: T, f: (a: T, b: T) => T): T {
    let acc = zero;
    for (let i = 0; i < this.numPartitions; i++) for (const r of this.iterator(i)) acc = f(acc, r);
    return acc;
  }
  /** Counts of each distinct record (structured records grouped by value). */
  countByValue(): Map<T, number> {
    const byId = new Map<KeyId, [T, number]>();
    this.foreach((t) => {
      const id = keyId(t);
      const e = byId.get(id);
      if (e === undefined) byId.set(id, [t, 1]);
      else e[1]++;
    });
    return new Map([...byId.values()]);
  }

  // ---- pair (key, value) transformations: records are [key, value] tuples ----------------------

  mapValues<K, V, U>(this: RDD<[K, V]>, f: (v: V) => U): RDD<[K, U]> {
    return this.narrow<[K, U]>(NarrowKind.MapValues, f, this.partitioner);
  }
  flatMapValues<K, V, U>(this: RDD<[K, V]>, f: (v: V) => Iterable<U>): RDD<[K, U]> {
    return this.derive((i) => {
      const out: [K, U][] = [];
      for (const [k, v] of this.iterator(i)) for (const u of f(v)) out.push([k, u]);
      return out;
    }, this.numPartitions, this.partitioner);
  }
  keys<K, V>(this: RDD<[K, V]>): RDD<K> {
    return this.map((kv) => kv[0]);
  }
  values<K, V>(this: RDD<[K, V]>): RDD<V> {
    return this.map((kv) => kv[1]);
  }
  /** Spark's combineByKey: a shuffle into `partitioner`'s partitions, combining values per key. */
  combineByKey<K, V, C>(
    this: RDD<[K, V]>,
    createCombiner: (v: V) => C,
    mergeValue: (c: C, v: V) => C,
    mergeCombiners: (c1: C, c2: C) => C,
    partitioner?: number | Partitioner,
    mapSideCombine = true,
  ): RDD<[K, C]> {
    const part = toPartitioner(partitioner, this.sc.defaultParallelism);
    let buckets: [K, C][][] | undefined;
    return this.derive(
      (i) => (buckets ??= combineByKey(this, createCombiner, mergeValue, mergeCombiners, part, mapSideCombine))[i],
      part.numPartitions,
      part,
    );
  }
  reduceByKey<K, V>(this: RDD<[K, V]>, f: (a: V, b: V) => V, partitioner?: number | Partitioner): RDD<[K, V]> {
    return this.combineByKey((v) => v, f, f, partitioner);
  }
  /** Groups values per key, in arrival order (Spark leaves the order unspecified). */
  groupByKey<K, V>(this: RDD<[K, V]>, partitioner?: number | Partitioner): RDD<[K, V[]]> {
    return this.combineByKey<K, V, V[]>(
      (v) => [v],
      (c, v) => (c.push(v), c),
      (a, b) => a.concat(b),
      partitioner,
      false,
    );
  }
  /** Spark's partitionBy: an RDD already partitioned by an equal partitioner is returned as it is. */
  partitionBy<K, V>(this: RDD<[K, V]>, partitioner: Partitioner): RDD<[K, V]> {
    if (partitioner.equals(this.partitioner)) return this;
    let buckets: [K, V][][] | undefined;
    return this.derive((i) => {
      if (buckets === undefined) {
        const out: [K, V][][] = Array.from({ length: partitioner.numPartitions }, () => []);
        for (let p = 0; p < this.numPartitions; p++) for (const kv of this.iterator(p)) out[partitioner.getPartition(kv[0])].push(kv);
        buckets = out;
      }
      return buckets[i];
    }, partitioner.numPartitions, partitioner);
  }
  countByKey<K, V>(this: RDD<[K, V]>): Map<K, number> {
    return new Map(this.mapValues(() => 1).reduceByKey((a, b) => a + b).collect());
  }
  collectAsMap<K, V>(this: RDD<[K, V]>): Map<K, V> {
    return new Map(this.collect());
  }
  /** For each key in either RDD, the values each RDD holds for it. */
  cogroup<K, V, W>(this: RDD<[K, V]>, other: RDD<[K, W]>, partitioner?: number | Partitioner): RDD<[K, [V[], W[]]]> {
    return RDD.cogroupAll(this.sc, [this, other], partitioner) as RDD<[K, [V[], W[]]]>;
  }
  /** Spark's CoGroupedRDD over any number of pair RDDs. */
  static cogroupAll<K>(sc: SparkContext, rdds: readonly RDD<[K, unknown]>[], partitioner?: number | Partitioner): RDD<[K, unknown[][]]> {
    const part = toPartitioner(partitioner ?? defaultPartitionerOf(rdds, sc.defaultParallelism), sc.defaultParallelism);
    let buckets: [K, unknown[][]][][] | undefined;
    return new RDD(sc, part.numPartitions, (i) => (buckets ??= cogroup(rdds, part))[i], rdds as RDD<unknown>[], part);
  }
  join<K, V, W>(this: RDD<[K, V]>, other: RDD<[K, W]>, partitioner?: number | Partitioner): RDD<[K, [V, W]]> {
    return this.cogroup(other, partitioner).flatMapValues(([vs, ws]) => {
      const out: [V, W][] = [];
      for (const v of vs) for (const w of ws) out.push([v, w]);
      return out;
    });
  }
  /** Like join; a key without a match on the right gets `undefined` (Spark's None). */
  leftOuterJoin<K, V, W>(this: RDD<[K, V]>, other: RDD<[K, W]>, partitioner?: number | Partitioner): RDD<[K, [V, W | undefined]]> {
    return this.cogroup(other, partitioner).flatMapValues(([vs, ws]) => {
      const out: [V, W | undefined][] = [];
      for (const v of vs) {
        if (ws.length === 0) out.push([v, undefined]);
        else for (const w of ws) out.push([v, w]);
      }
      return out;
    });
  }
  rightOuterJoin<K, V, W>(this: RDD<[K, V]>, other: RDD<[K, W]>, partitioner?: number | Partitioner): RDD<[K, [V | undefined, W]]> {
    return this.cogroup(other, partitioner).flatMapValues(([vs, ws]) => {
      const out: [V | undefined, W][] = [];
      for (const w of ws) {
        if (vs.length === 0) out.push([undefined, w]);
        else for (const v of vs) out.push([v, w]);
      }
      return out;
    });
  }
  fullOuterJoin<K, V, W>(this: RDD<[K, V]>, other: RDD<[K, W]>, partitioner?: number | Partitioner): RDD<[K, [V | undefined, W | undefined]]> {
    return this.cogroup(other, partitioner).flatMapValues(([vs, ws]) => {
      const out: [V | undefined, W | undefined][] = [];
      if (vs.length === 0) for (const w of ws) out.push([undefined, w]);
      else if (ws.length === 0) for (const v of vs) out.push([v, undefined]);
      else for (const v of vs) for (const w of ws) out.push([v, w]);
      return out;
    });
  }

  toString(): string {
    return `RDD[${this.id}]${this.name ? ` ${this.name}` : ""}`;
  }
}

/** Spark's Partitioner.defaultPartitioner: reuse a parent's partitioner, else hash over the widest parent. */
function defaultPartitionerOf(rdds: readonly RDD<unknown>[], defaultParallelism: number): Partitioner {
  const withPartitioner = rdds.filter((r) => r.partitioner !== undefined);
  if (withPartitioner.length > 0) {
    return withPartitioner.reduce((a, b) => (a.numPartitions >= b.numPartitions ? a : b)).partitioner!;
  }
  return new HashPartitioner(Math.max(defaultParallelism, ...rdds.map((r) => r.numPartitions)));
}

const enum NarrowKind {
  Map,
  Filter,
  FlatMap,
  MapValues,
}
interface NarrowStep {
  readonly kind: NarrowKind;
  readonly f: (t: unknown) => unknown;
}

/** The sink taking `step`'s input records and passing its output records to `next`. */
function stepSink(step: NarrowStep, next: (u: unknown) => void, blame: RDD<unknown> | undefined): (t: unknown) => void {
  const f = blame === undefined ? step.f : blamed(step.f, blame);
  switch (step.kind) {
    case NarrowKind.Map:
      return (t) => next(f(t));
    case NarrowKind.Filter:
      return (t) => {
        if (f(t)) next(t);
      };
    case NarrowKind.FlatMap:
      return (t) => {
        const r = f(t) as Iterable<unknown>;
        if (Array.isArray(r)) for (let x = 0; x < r.length; x++) next(r[x]);
        else for (const u of r) next(u);
      };
    case NarrowKind.MapValues:
      return (t) => {
        const kv = t as [unknown, unknown];
        next([kv[0], f(kv[1])]);
      };
  }
}

/** `f`, with what it throws attributed to `rdd`'s stream and batch (as `rdd.iterator` would). */
function blamed(f: (t: unknown) => unknown, rdd: RDD<unknown>): (t: unknown) => unknown {
  return (t) => {
    try {
      return f(t);
    } catch (e) {
      throw rdd.attributeError(e);
    }
  };
}
