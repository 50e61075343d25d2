import { keyId, type KeyId } from "./keys";
import type { Partitioner } from "./Partitioner";

/** Reads one partition of a parent; the shuffle functions pull every partition of each parent. */
export interface PartitionSource<T> {
  readonly numPartitions: number;
  iterator(split: number): readonly T[];
  /** Streams the partition's records (a pipelined narrow RDD builds no array for them). */
  forEachInPartition?(split: number, f: (t: T) => void): void;
}

/** Each record of partition `p` of `source`, streamed when the source can. */
function eachRecord<T>(source: PartitionSource<T>, p: number, f: (t: T) => void): void {
  if (source.forEachInPartition !== undefined) {
    source.forEachInPartition(p, f);
    return;
  }
  const records = source.iterator(p);
  for (let i = 0; i < records.length; i++) f(records[i]);
}

interface Entry<K, C> {
  readonly key: K;
  c: C;
}

/** Spreads `[key, value]` entries over the partitioner's buckets (hashing once per distinct key). */
function bucketize<K, C>(entries: Iterable<Entry<K, C>>, partitioner: Partitioner): [K, C][][] {
  const n = partitioner.numPartitions;
  const buckets: [K, C][][] = Array.from({ length: n }, () => []);
  if (n === 1) {
    const only = buckets[0];
    for (const e of entries) only.push([e.key, e.c]);
  } else {
    for (const e of entries) buckets[partitioner.getPartition(e.key)].push([e.key, e.c]);
  }
  return buckets;
}

/**
 * Spark's combineByKey, computed in one pass with Maps. With `mapSideCombine`, each parent
 * partition is combined on its own (createCombiner/mergeValue) and the partial results are
 * merged with mergeCombiners in partition order, as Spark's map and reduce sides do.
 */
export function combineByKey<K, V, C>(
  parent: PartitionSource<readonly [K, V]>,
  createCombiner: (v: V) => C,
  mergeValue: (c: C, v: V) => C,
  mergeCombiners: (c1: C, c2: C) => C,
  partitioner: Partitioner,
  mapSideCombine: boolean,
): [K, C][][] {
  const merged = new Map<KeyId, Entry<K, C>>();
  for (let p = 0; p < parent.numPartitions; p++) {
    const target = mapSideCombine && p > 0 ? new Map<KeyId, Entry<K, C>>() : merged;
    eachRecord(parent, p, (r) => {
      const k = r[0];
      const id: KeyId = typeof k === "object" && k !== null ? keyId(k) : (k as KeyId);
      const e = target.get(id);
      if (e === undefined) target.set(id, { key: k, c: createCombiner(r[1]) });
      else e.c = mergeValue(e.c, r[1]);
    });
    if (target !== merged) {
      for (const [id, e] of target) {
        const m = merged.get(id);
        if (m === undefined) merged.set(id, e);
        else m.c = mergeCombiners(m.c, e.c);
      }
    }
  }
  return bucketize(merged.values(), partitioner);
}

/** Spark's CoGroupedRDD: for every key, the values each parent holds for it, in parent order. */
export function cogroup<K>(
  parents: readonly PartitionSource<readonly [K, unknown]>[],
  partitioner: Partitioner,
): [K, unknown[][]][][] {
  const n = parents.length;
  const groups = new Map<KeyId, Entry<K, unknown[][]>>();
  for (let j = 0; j < n; j++) {
    const parent = parents[j];
    for (let p = 0; p < parent.numPartitions; p++) {
      eachRecord(parent, p, (r) => {
        const k = r[0];
        const id: KeyId = typeof k === "object" && k !== null ? keyId(k) : (k as KeyId);
        let e = groups.get(id);
        if (e === undefined) {
          const c: unknown[][] = new Array(n);
          for (let x = 0; x < n; x++) c[x] = [];
          groups.set(id, (e = { key: k, c }));
        }
        e.c[j].push(r[1]);
      });
    }
  }
  return bucketize(groups.values(), partitioner);
}

/**
 * One key of an inverse window update: its value in the previous window, and the values of the
 * leaving (old) and entering (new) batches that hold it, in batch order.
 */
export interface WindowGroup<K, V> {
  readonly key: K;
  hasPrevious: boolean;
  previous: V | undefined;
  old: V[] | undefined;
  entering: V[] | undefined;
  /** The parent that last gave a value: each parent holds one value per key, later ones are ignored. */
  last: number;
}

/**
 * The cogroup behind reduceByKeyAndWindow's inverse form (parents: the previous window, then the
 * `numOld` leaving batches, then the entering ones), keeping only the first value of each parent
 * per key as that form reads them, without cogroup's array per parent and key. Keys in the order
 * cogroup would give them.
 */
export function cogroupWindow<K, V>(
  parents: readonly PartitionSource<readonly [K, V]>[],
  numOld: number,
  partitioner: Partitioner,
): WindowGroup<K, V>[][] {
  const groups = new Map<KeyId, WindowGroup<K, V>>();
  for (let j = 0; j < parents.length; j++) {
    const parent = parents[j];
    for (let p = 0; p < parent.numPartitions; p++) {
      const records = parent.iterator(p);
      for (let i = 0; i < records.length; i++) {
        const r = records[i];
        const k = r[0];
        const id: KeyId = typeof k === "object" && k !== null ? keyId(k) : (k as KeyId);
        let g = groups.get(id);
        if (g === undefined) {
          g = { key: k, hasPrevious: false, previous: undefined, old: undefined, entering: undefined, last: -1 };
          groups.set(id, g);
        } else if (g.last === j) continue;
        g.last = j;
        if (j === 0) {
          g.hasPrevious = true;
          g.previous = r[1];
        } else if (j <= numOld) (g.old ??= []).push(r[1]);
        else (g.entering ??= []).push(r[1]);
      }
    }
  }
  const n = partitioner.numPartitions;
  const buckets: WindowGroup<K, V>[][] = Array.from({ length: n }, () => []);
  if (n === 1) for (const g of groups.values()) buckets[0].push(g);
  else for (const g of groups.values()) buckets[partitioner.getPartition(g.key)].push(g);
  return buckets;
}
