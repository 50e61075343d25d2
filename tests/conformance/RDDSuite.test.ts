/**
 * Spark's RDDSuite and SortingSuite cases for the ordered and set operations, re-expressed on the
 * engine's SparkContext (default parallelism 2, as a local[2] context).
 */
import { describe, expect, test } from "vitest";
import { HashPartitioner, naturalOrdering, RangePartitioner, SparkContext, SparkException, type Ordering } from "../../engine/index";

const sc = new SparkContext(2);
const range = (from: number, to: number, step = 1) => Array.from({ length: Math.floor((to - from) / step) + 1 }, (_, i) => from + i * step);
const numeric = (a: number, b: number) => a - b;

describe("RDDSuite: ordered operations", () => {
  test("sort an empty RDD", () => {
    expect(sc.emptyRDD<number>().sortBy((x) => x).collect()).toEqual([]);
  });

  const rows = ["5|50|A", "4|60|C", "6|40|B"];
  test("sortBy on each column", () => {
    const data = sc.parallelize(rows);
    expect(data.sortBy((s) => s.split("|")[0]).collect()).toEqual(["4|60|C", "5|50|A", "6|40|B"]);
    expect(data.sortBy((s) => s.split("|")[1]).collect()).toEqual(["6|40|B", "5|50|A", "4|60|C"]);
    expect(data.sortBy((s) => s.split("|")[2]).collect()).toEqual(["5|50|A", "6|40|B", "4|60|C"]);
  });

  test("sortBy ascending parameter", () => {
    const data = sc.parallelize(rows);
    expect(data.sortBy((s) => s.split("|")[0], true).collect()).toEqual(["4|60|C", "5|50|A", "6|40|B"]);
    expect(data.sortBy((s) => s.split("|")[0], false).collect()).toEqual(["6|40|B", "5|50|A", "4|60|C"]);
  });

  test("sortBy with an explicit ordering", () => {
    const data = sc.parallelize(["Bob|Smith|50", "Jane|Smith|40", "Thomas|Williams|30", "Karen|Williams|60"]);
    type Person = { first: string; last: string; age: number };
    const parse = (s: string): Person => {
      const [first, last, age] = s.split("|");
      return { first, last, age: Number(age) };
    };
    const byAge: Ordering<Person> = (a, b) => a.age - b.age;
    const byName: Ordering<Person> = (a, b) => naturalOrdering([a.last, a.first], [b.last, b.first]);
    expect(data.sortBy(parse, true, 2, byAge).collect()).toEqual(["Thomas|Williams|30", "Jane|Smith|40", "Bob|Smith|50", "Karen|Williams|60"]);
    expect(data.sortBy(parse, true, 2, byName).collect()).toEqual(["Bob|Smith|50", "Jane|Smith|40", "Karen|Williams|60", "Thomas|Williams|30"]);
  });

  test("top with the natural ordering", () => {
    const nums = range(1, 99_999);
    // A fixed shuffle (Spark shuffles at random): the result must not depend on the input order.
    const shuffled = nums.map((n, i) => [(i * 7919) % nums.length, n]).sort((a, b) => a[0] - b[0]).map((x) => x[1]);
    const topK = sc.makeRDD(shuffled, 2).top(5);
    expect(topK).toEqual(nums.slice().reverse().slice(0, 5));
  });

  test("top with a custom ordering", () => {
    const reversed: Ordering<string> = (a, b) => naturalOrdering(b, a);
    const topK = sc.makeRDD(["a", "b", "c", "d"], 2).top(2, reversed);
    expect(topK.length).toBe(2);
    expect([...topK].sort()).toEqual(["a", "b"]);
  });

  const ten = range(1, 10);
  test("takeOrdered with the natural ordering", () => expect(sc.makeRDD(ten, 2).takeOrdered(5)).toEqual([1, 2, 3, 4, 5]));
  test("takeOrdered with limit 0", () => expect(sc.makeRDD(ten, 2).takeOrdered(0)).toEqual([]));
  test("takeOrdered with a custom ordering", () => {
    const reversed: Ordering<number> = (a, b) => b - a;
    expect(sc.makeRDD(ten, 2).takeOrdered(5, reversed)).toEqual([10, 9, 8, 7, 6]);
  });
});

describe("SortingSuite: sortByKey range-partitions, so partitions are in order", () => {
  const pairs = (n: number) => Array.from({ length: n }, (_, i) => [(i * 7919 + 13) % 1000, i] as [number, number]);

  test("sortByKey", () => {
    const data = sc.parallelize([[1, 0], [2, 0], [0, 0], [3, 0]] as [number, number][], 2);
    expect(data.sortByKey().collect()).toEqual([[0, 0], [1, 0], [2, 0], [3, 0]]);
  });

  test("large array with one split", () => {
    const data = pairs(1000);
    const sorted = sc.parallelize(data, 2).sortByKey(true, 1);
    expect(sorted.getNumPartitions()).toBe(1);
    expect(sorted.collect()).toEqual(data.slice().sort((a, b) => a[0] - b[0]));
  });

  test("large array with many partitions", () => {
    const data = pairs(1000);
    const sorted = sc.parallelize(data, 2).sortByKey(true, 20);
    expect(sorted.getNumPartitions()).toBe(20);
    expect(sorted.partitioner).toBeInstanceOf(RangePartitioner);
    expect(sorted.collect()).toEqual(data.slice().sort((a, b) => a[0] - b[0]));
  });

  test("sort descending", () => {
    const data = pairs(1000);
    expect(sc.parallelize(data, 2).sortByKey(false).collect()).toEqual(data.slice().sort((a, b) => b[0] - a[0]));
  });

  test("more partitions than elements", () => {
    const data = pairs(10);
    expect(sc.parallelize(data, 30).sortByKey().collect()).toEqual(data.slice().sort((a, b) => a[0] - b[0]));
  });

  test("empty RDD", () => {
    expect(sc.parallelize([] as [number, number][], 2).sortByKey().collect()).toEqual([]);
  });

  test("partition balancing: each partition ends below the next one starts", () => {
    const sorted = sc.parallelize(pairs(1000), 4).sortByKey();
    const parts = sorted.glom().collect();
    expect(parts.length).toBe(4);
    for (const part of parts) expect(part.length).toBeGreaterThan(0);
    for (let i = 0; i < parts.length - 1; i++) expect(parts[i][parts[i].length - 1][0]).toBeLessThan(parts[i + 1][0][0]);
  });

  test("partition balancing for descending sort", () => {
    const parts = sc.parallelize(pairs(1000), 4).sortByKey(false).glom().collect();
    expect(parts.length).toBe(4);
    for (let i = 0; i < parts.length - 1; i++) expect(parts[i][parts[i].length - 1][0]).toBeGreaterThan(parts[i + 1][0][0]);
  });

  test("get a range of elements in a sorted RDD that is on one partition", () => {
    const sorted = sc.parallelize(range(1, 1000).map((k) => [k, k] as [number, number]), 10).sortByKey();
    const inRange = sorted.filter(([k]) => k >= 20 && k <= 50).map(([k]) => k).collect();
    expect(inRange).toEqual(range(20, 50));
  });
});

describe("RDDSuite: distinct, subtract, intersection, zip, sample", () => {
  test("basic distinct", () => {
    const dups = sc.makeRDD([1, 1, 2, 2, 3, 3, 4, 4], 2);
    expect(dups.distinct().count()).toBe(4);
    expect(dups.distinct(2).collect().sort(numeric)).toEqual(dups.distinct().collect().sort(numeric));
  });

  test("distinct with known partitioner preserves partitioning", () => {
    const rdd = sc.parallelize(range(1, 100), 10).map((x) => [x % 10, x % 10] as [number, number]).sortByKey();
    const initial = rdd.partitioner;
    expect(rdd.distinct().partitioner).toBe(initial);
    const different = rdd.distinct(5);
    expect(different.partitioner).not.toBe(initial);
    const key = (kv: [number, number]) => kv[0];
    expect(rdd.distinct().collect().map(key).sort(numeric)).toEqual(different.collect().map(key).sort(numeric));
  });

  test("subtract", () => {
    const c = sc.parallelize([1, 2, 3], 2).subtract(sc.parallelize([2, 3, 4], 4));
    expect(new Set(c.collect())).toEqual(new Set([1]));
    expect(c.getNumPartitions()).toBe(2);
  });

  test("subtract with narrow dependency", () => {
    const p = { numPartitions: 5, getPartition: (k: unknown) => k as number, equals: (o: unknown) => o === p };
    const a = sc.parallelize([[1, "a"], [2, "b"], [3, "c"]] as [number, string][]).partitionBy(p);
    const b = sc.parallelize([[2, "b"], [3, "cc"], [4, "d"]] as [number, string][], 4);
    const c = a.subtract(b);
    expect(c.collect().sort((x, y) => x[0] - y[0])).toEqual([[1, "a"], [3, "c"]]);
    expect(c.partitioner).toBeUndefined();
  });

  test("subtractByKey", () => {
    const a = sc.parallelize([[1, "a"], [1, "a"], [2, "b"], [3, "c"]] as [number, string][], 2);
    const c = a.subtractByKey(sc.parallelize([[2, 20], [3, 30], [4, 40]] as [number, number][], 4));
    expect(c.collect()).toEqual([[1, "a"], [1, "a"]]);
    expect(c.getNumPartitions()).toBe(2);
  });

  test("intersection", () => {
    const all = sc.parallelize(range(1, 10));
    const evens = sc.parallelize(range(2, 10, 2));
    expect(all.intersection(evens).collect().sort(numeric)).toEqual([2, 4, 6, 8, 10]);
    expect(evens.intersection(all).collect().sort(numeric)).toEqual([2, 4, 6, 8, 10]);
  });

  test("intersection strips duplicates in an input", () => {
    const a = sc.parallelize([1, 2, 3, 3]);
    const b = sc.parallelize([1, 1, 2, 3]);
    expect(a.intersection(b).collect().sort(numeric)).toEqual([1, 2, 3]);
    expect(b.intersection(a).collect().sort(numeric)).toEqual([1, 2, 3]);
  });

  test("zipped RDDs", () => {
    const nums = sc.makeRDD([1, 2, 3, 4], 2);
    expect(nums.zip(nums.map((x) => x + 1.5)).glom().collect()).toEqual([[[1, 2.5], [2, 3.5]], [[3, 4.5], [4, 5.5]]]);
    expect(() => nums.zip(sc.parallelize(range(1, 4), 1)).collect()).toThrow(/unequal numbers of partitions: List\(2, 1\)/);
    expect(() => nums.zip(sc.parallelize(range(1, 5), 2)).collect()).toThrow(SparkException);
  });

  test("sample preserves partitioner", () => {
    const partitioner = new HashPartitioner(2);
    const rdd = sc.parallelize([[0, 1], [2, 3]] as [number, number][]).partitionBy(partitioner);
    for (const withReplacement of [true, false]) expect(rdd.sample(withReplacement, 1.0).partitioner).toBe(partitioner);
  });
});
