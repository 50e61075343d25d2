import { RDD } from "../RDD";
import { orderingOf, reverse, type Ordering } from "../Ordering";
import { RangePartitioner } from "../RangePartitioner";

/*
 * Spark's OrderedRDDFunctions and the ordered actions of RDD, added to RDD by augmentation (like
 * the DStream operations), so that RDD.ts keeps its shuffle hot paths alone.
 */
declare module "../RDD" {
  interface RDD<T> {
    /**
     * Sorts by key: a range-partitioned shuffle into `numPartitions` (default: this RDD's count),
     * each partition sorted, so `collect()` is in order. Ties keep arrival order.
     */
    sortByKey<K, V>(this: RDD<[K, V]>, ascending?: boolean, numPartitions?: number, ordering?: Ordering<K>): RDD<[K, V]>;
    /** Sorts the records by `f(record)`: `keyBy(f).sortByKey(ascending, numPartitions).values()`. */
    sortBy<K>(f: (t: T) => K, ascending?: boolean, numPartitions?: number, ordering?: Ordering<K>): RDD<T>;
    /** The `num` smallest records by `ordering`, smallest first. */
    takeOrdered(num: number, ordering?: Ordering<T>): T[];
    /** The `num` largest records by `ordering`, largest first (`takeOrdered(num, ordering.reverse)`). */
    top(num: number, ordering?: Ordering<T>): T[];
  }
}

function checkNum(num: number, operation: string): void {
  if (!Number.isInteger(num) || num < 0) throw new RangeError(`${operation}: num must be a whole number >= 0, got ${num}`);
}

RDD.prototype.sortByKey = function <K, V>(this: RDD<[K, V]>, ascending = true, numPartitions = this.numPartitions, ordering?: Ordering<K>): RDD<[K, V]> {
  const ord = orderingOf(ordering, "sortByKey");
  const part = new RangePartitioner<K>(numPartitions, this, ascending, ord);
  const keyOrder: Ordering<[K, V]> = ascending ? (a, b) => ord(a[0], b[0]) : (a, b) => ord(b[0], a[0]);
  let buckets: [K, V][][] | undefined;
  const compute = (i: number): [K, V][] => {
    if (buckets === undefined) {
      const out: [K, V][][] = Array.from({ length: part.numPartitions }, () => []);
      for (let p = 0; p < this.numPartitions; p++) {
        const src = this.iterator(p);
        for (let j = 0; j < src.length; j++) out[part.getPartition(src[j][0])].push(src[j]);
      }
      // Array.prototype.sort is stable: equal keys keep their order of arrival.
      for (const b of out) b.sort(keyOrder);
      buckets = out;
    }
    return buckets[i];
  };
  return new RDD<[K, V]>(this.sc, part.numPartitions, compute, [this as RDD<unknown>], part);
};

RDD.prototype.sortBy = function <T, K>(this: RDD<T>, f: (t: T) => K, ascending = true, numPartitions = this.numPartitions, ordering?: Ordering<K>): RDD<T> {
  return this.keyBy(f).sortByKey(ascending, numPartitions, ordering).values();
};

RDD.prototype.takeOrdered = function <T>(this: RDD<T>, num: number, ordering?: Ordering<T>): T[] {
  checkNum(num, "takeOrdered");
  const ord = orderingOf(ordering, "takeOrdered");
  if (num === 0) return [];
  // Each partition keeps its num smallest (Spark's bounded priority queue), then they are merged.
  let best: T[] = [];
  for (let p = 0; p < this.numPartitions; p++) {
    const part = this.iterator(p);
    if (part.length === 0) continue;
    const local = part.slice().sort(ord).slice(0, num);
    best = best.concat(local).sort(ord).slice(0, num);
  }
  return best;
};

RDD.prototype.top = function <T>(this: RDD<T>, num: number, ordering?: Ordering<T>): T[] {
  return this.takeOrdered(num, reverse(orderingOf(ordering, "top")));
};
