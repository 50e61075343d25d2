/** Spark's PairRDDFunctionsSuite cases for aggregateByKey, foldByKey, countByKey, lookup, keys and values. */
import { describe, expect, test } from "vitest";
import { SparkContext } from "../../engine/index";

const sc = new SparkContext(2);
const byKey = <K, V>(kvs: [K, V][]) => kvs.slice().sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));

describe("PairRDDFunctionsSuite", () => {
  test("aggregateByKey", () => {
    const pairs = sc.parallelize([[1, 1], [1, 1], [3, 2], [5, 1], [5, 3]] as [number, number][], 2);
    const sets = pairs
      .aggregateByKey(new Set<number>(), (set, v) => set.add(v), (a, b) => {
        for (const v of b) a.add(v);
        return a;
      })
      .collect();
    expect(sets.length).toBe(3);
    const valuesOf = (k: number) => sets.find((kv) => kv[0] === k)![1];
    expect(valuesOf(1)).toEqual(new Set([1]));
    expect(valuesOf(3)).toEqual(new Set([2]));
    expect(valuesOf(5)).toEqual(new Set([1, 3]));
  });

  test("foldByKey", () => {
    const pairs = sc.parallelize([[1, 1], [1, 2], [1, 3], [1, 1], [2, 1]] as [number, number][]);
    expect(byKey(pairs.foldByKey(0, (a, b) => a + b).collect())).toEqual([[1, 7], [2, 1]]);
  });

  test("foldByKey with a mutable result type", () => {
    const pairs = sc.parallelize([[1, 1], [1, 2], [1, 3], [1, 1], [2, 1]] as [number, number][]);
    const bufs = pairs.mapValues((v) => [v]);
    // A mutating fold: each key must start from its own copy of the zero value.
    const sums = bufs.foldByKey([] as number[], (a, b) => (a.push(...b), a)).collect();
    expect(byKey(sums.map(([k, vs]) => [k, vs.slice().sort()] as [number, number[]]))).toEqual([[1, [1, 1, 2, 3]], [2, [1]]]);
  });

  test("countByKey", () => {
    const counts = sc.parallelize([[1, 1], [1, 2], [3, 1], [5, 1]] as [number, number][]).countByKey();
    expect(counts).toEqual(new Map([[1, 2], [3, 1], [5, 1]]));
  });

  test("keys and values", () => {
    const rdd = sc.parallelize([[1, "a"], [2, "b"]] as [number, string][]);
    expect(rdd.keys().collect()).toEqual([1, 2]);
    expect(rdd.values().collect()).toEqual(["a", "b"]);
  });

  test("lookup", () => {
    const pairs = sc.parallelize([[1, 2], [3, 4], [5, 6], [5, 7]] as [number, number][]);
    expect(pairs.partitioner).toBeUndefined();
    expect(pairs.lookup(1)).toEqual([2]);
    expect(pairs.lookup(5)).toEqual([6, 7]);
    expect(pairs.lookup(-1)).toEqual([]);
  });

  test("lookup with partitioner", () => {
    const p = { numPartitions: 2, getPartition: (k: unknown) => Math.abs(k as number) % 2, equals: (o: unknown) => o === p };
    const shuffled = sc.parallelize([[1, 2], [3, 4], [5, 6], [5, 7]] as [number, number][]).partitionBy(p);
    expect(shuffled.partitioner).toBe(p);
    expect(shuffled.lookup(1)).toEqual([2]);
    expect(shuffled.lookup(5)).toEqual([6, 7]);
    expect(shuffled.lookup(-1)).toEqual([]);
  });

  test("lookup with a bad partitioner fails", () => {
    const p = { numPartitions: 2, getPartition: (k: unknown) => (k as number) % 2, equals: (o: unknown) => o === p };
    const shuffled = sc.parallelize([[2, 2], [4, 4]] as [number, number][]).partitionBy(p);
    expect(shuffled.lookup(2)).toEqual([2]);
    // -1 % 2 is -1 in JavaScript as in Java: a partition that does not exist.
    expect(() => shuffled.lookup(-1)).toThrow();
  });
});
