import { describe, expect, it } from "vitest";
import { naturalOrdering, RangePartitioner, SparkContext } from "@/engine/index";
import { determineBounds } from "@/engine/rdd/RangePartitioner";

const sc = new SparkContext(2);

describe("naturalOrdering", () => {
  it("orders numbers numerically, strings by code unit, tuples element by element", () => {
    expect([10, 9, 100].sort(naturalOrdering)).toEqual([9, 10, 100]);
    expect(["b", "B", "a"].sort(naturalOrdering)).toEqual(["B", "a", "b"]);
    expect([[1, "b"], [1, "a"], [0, "z"], [1]].sort(naturalOrdering)).toEqual([[0, "z"], [1], [1, "a"], [1, "b"]]);
    expect([true, false].sort(naturalOrdering)).toEqual([false, true]);
  });
  it("keeps mixed types in a total order instead of failing", () => {
    // (Array.prototype.sort puts undefined last without asking the comparator.)
    expect(["a", 1, null, [0], { k: 1 }].sort(naturalOrdering)).toEqual([null, 1, "a", [0], { k: 1 }]);
    expect(naturalOrdering(undefined, null)).toBeLessThan(0);
  });
});

describe("RangePartitioner", () => {
  it("chooses bounds at equal steps of weight, skipping duplicates (Spark's determineBounds)", () => {
    const candidates = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((k) => [k, 1] as [number, number]);
    expect(determineBounds(candidates, 3, naturalOrdering)).toEqual([4, 7]);
    const dups = [1, 1, 1, 1, 2].map((k) => [k, 1] as [number, number]);
    expect(determineBounds(dups, 4, naturalOrdering)).toEqual([1, 2]);
  });
  it("sends keys up to a bound to that bound's partition, reversed when descending", () => {
    const parent = sc.parallelize([1, 2, 3, 4, 5, 6].map((k) => [k, k] as [number, number]), 2);
    const asc = new RangePartitioner(3, parent, true, naturalOrdering);
    expect(asc.rangeBounds).toEqual([2, 4]);
    expect([1, 2, 3, 4, 5, 6].map((k) => asc.getPartition(k))).toEqual([0, 0, 1, 1, 2, 2]);
    const desc = new RangePartitioner(3, parent, false, naturalOrdering);
    expect([1, 2, 3, 4, 5, 6].map((k) => desc.getPartition(k))).toEqual([2, 2, 1, 1, 0, 0]);
    expect(asc.equals(new RangePartitioner(3, parent, true, naturalOrdering))).toBe(true);
    expect(asc.equals(desc)).toBe(false);
  });
  it("makes fewer partitions than asked when the keys do not allow more", () => {
    // One distinct key gives one bound (Spark's too), so 2 partitions instead of 4.
    const same = sc.parallelize([[1, "a"], [1, "b"], [1, "c"], [1, "d"]] as [number, string][], 2);
    const sorted = same.sortByKey(true, 4);
    expect(sorted.getNumPartitions()).toBe(2);
    expect(sorted.glom().collect()).toEqual([[[1, "a"], [1, "b"], [1, "c"], [1, "d"]], []]);
  });
  it("refuses a negative number of partitions", () => {
    expect(() => new RangePartitioner(-1, sc.emptyRDD<[number, number]>(), true, naturalOrdering)).toThrow(/cannot be negative/);
  });
});

describe("ordered operations", () => {
  it("sortByKey keeps the arrival order of equal keys and sorts tuple keys", () => {
    const rdd = sc.parallelize([[["b", 1], "x"], [["a", 2], "y"], [["a", 1], "z"], [["a", 1], "w"]] as [[string, number], string][], 2);
    expect(rdd.sortByKey().values().collect()).toEqual(["z", "w", "y", "x"]);
  });
  it("the classic top words: counts sorted descending by value", () => {
    const words = sc.parallelize("a b a c b a".split(" ")).map((w) => [w, 1] as [string, number]).reduceByKey((x, y) => x + y);
    const byCount = words.map(([w, n]) => [n, w] as [number, string]).sortByKey(false).collect();
    expect(byCount).toEqual([[3, "a"], [2, "b"], [1, "c"]]);
  });
  it("top and takeOrdered refuse a bad num or ordering", () => {
    const rdd = sc.parallelize([3, 1, 2]);
    expect(() => rdd.top(-1)).toThrow(/whole number/);
    expect(() => rdd.takeOrdered(1.5)).toThrow(/whole number/);
    expect(() => rdd.top(1, "desc" as unknown as (a: number, b: number) => number)).toThrow(/ordering must be a function/);
    expect(rdd.top(10)).toEqual([3, 2, 1]);
  });
});

describe("sortBy, distinct, zip, countByKey, keys and values", () => {
  it("sortBy sorts by a derived key with numPartitions and keeps no key in the records", () => {
    const rdd = sc.parallelize([{ n: "b", a: 3 }, { n: "a", a: 1 }, { n: "c", a: 2 }], 3);
    const byAge = rdd.sortBy((p) => p.a, true, 2);
    expect(byAge.getNumPartitions()).toBe(2);
    expect(byAge.collect().map((p) => p.n)).toEqual(["a", "c", "b"]);
    expect(rdd.sortBy((p) => p.n, false).collect().map((p) => p.n)).toEqual(["c", "b", "a"]);
  });
  it("distinct shuffles into this RDD's partition count by default, structured records by value", () => {
    const rdd = sc.parallelize([[1, "a"], [1, "a"], { k: 1 }, { k: 1 }, 2], 3);
    const d = rdd.distinct();
    expect(d.getNumPartitions()).toBe(3);
    expect(d.count()).toBe(3);
    expect(rdd.distinct(1).getNumPartitions()).toBe(1);
  });
  it("zip pairs records partition by partition; a size mismatch fails when computed", () => {
    const a = sc.parallelize(["x", "y", "z"], 2);
    expect(a.zip(a.map((s) => s.toUpperCase())).collect()).toEqual([["x", "X"], ["y", "Y"], ["z", "Z"]]);
    const uneven = a.zip(sc.parallelize([1, 2, 3].slice(0, 2), 2));
    expect(() => uneven.collect()).toThrow(/same number of elements in each partition/);
  });
  it("countByKey, keys and values", () => {
    const rdd = sc.parallelize([["a", 1], ["b", 2], ["a", 3]] as [string, number][], 2);
    expect(rdd.countByKey()).toEqual(new Map([["a", 2], ["b", 1]]));
    expect(rdd.keys().collect()).toEqual(["a", "b", "a"]);
    expect(rdd.values().collect()).toEqual([1, 2, 3]);
  });
});

describe("set operations, zip, sample", () => {
  it("subtract and intersection compare structured records by value", () => {
    const a = sc.parallelize([{ id: 1 }, { id: 2 }, [1, 2]]);
    const b = sc.parallelize([{ id: 2 }, [1, 2]]);
    expect(a.subtract(b).collect()).toEqual([{ id: 1 }]);
    expect(a.intersection(b).collect().length).toBe(2);
  });
  it("sample is repeatable for a seed and near the fraction", () => {
    const rdd = sc.parallelize(Array.from({ length: 10_000 }, (_, i) => i), 4);
    const once = rdd.sample(false, 0.3, 42).collect();
    expect(rdd.sample(false, 0.3, 42).collect()).toEqual(once);
    expect(rdd.sample(false, 0.3, 43).collect()).not.toEqual(once);
    expect(Math.abs(once.length - 3000)).toBeLessThan(300);
    expect(rdd.sample(false, 1, 1).count()).toBe(10_000);
    expect(rdd.sample(false, 0, 1).count()).toBe(0);
    const withReplacement = rdd.sample(true, 2, 7).count();
    expect(Math.abs(withReplacement - 20_000)).toBeLessThan(1000);
  });
  it("sample checks its fraction as Spark does", () => {
    const rdd = sc.parallelize([1, 2]);
    expect(() => rdd.sample(false, -0.1)).toThrow(/Negative fraction value: -0.1/);
    expect(() => rdd.sample(false, 1.5)).toThrow(/must be on interval \[0, 1\]/);
    expect(rdd.sample(true, 1.5, 3).count()).toBeGreaterThanOrEqual(0);
  });
});

describe("pair operations", () => {
  it("aggregateByKey gives each key its own copy of a mutable zero value", () => {
    const rdd = sc.parallelize([["a", 1], ["b", 2], ["a", 3]] as [string, number][], 2);
    const zero: number[] = [];
    const out = rdd.aggregateByKey(zero, (acc, v) => (acc.push(v), acc), (x, y) => x.concat(y)).collectAsMap();
    expect(out.get("a")!.sort()).toEqual([1, 3]);
    expect(out.get("b")).toEqual([2]);
    expect(zero).toEqual([]);
  });
  it("aggregateByKey refuses a zero value that cannot be copied", () => {
    const rdd = sc.parallelize([["a", 1]] as [string, number][]);
    expect(() => rdd.aggregateByKey({ f: () => 1 }, (a) => a, (a) => a)).toThrow(/zero value must be copyable data/);
  });
  it("foldByKey keeps a partitioned RDD's partitioner", () => {
    const partitioned = sc.parallelize([["a", 1], ["a", 2]] as [string, number][]).reduceByKey((x, y) => x + y, 3);
    const folded = partitioned.foldByKey(0, (x, y) => x + y);
    expect(folded.partitioner?.equals(partitioned.partitioner)).toBe(true);
    expect(folded.collect()).toEqual([["a", 3]]);
  });
  it("lookup finds structured keys by value", () => {
    const rdd = sc.parallelize([[["x", 1], "first"], [["x", 2], "second"]] as [[string, number], string][]);
    expect(rdd.lookup(["x", 2])).toEqual(["second"]);
  });
});

describe("inside transform", () => {
  it("rdd.sortByKey() in a DStream's transform: the top words of each batch", async () => {
    const { manualContext, runBatches } = await import("./helpers");
    const { ssc, clock } = manualContext();
    const lines = ssc.queueStream([ssc.sc.makeRDD(["a b a", "c b a"]), ssc.sc.makeRDD(["z"])]);
    const counts = lines.flatMap((l) => l.split(" ")).map((w) => [w, 1] as [string, number]).reduceByKey((x, y) => x + y);
    const tops: [number, string][][] = [];
    counts
      .transform((rdd) => rdd.map(([w, n]) => [n, w] as [number, string]).sortByKey(false))
      .foreachRDD((rdd) => void tops.push(rdd.take(2)));
    ssc.start();
    try {
      await runBatches(ssc, clock, 2);
    } finally {
      await ssc.stop();
    }
    expect(tops).toEqual([[[3, "a"], [2, "b"]], [[1, "z"]]]);
  });
});
