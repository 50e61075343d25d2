import { describe, expect, test } from "vitest";
import { HashPartitioner, SparkContext, StorageLevel } from "../../../engine/index";
import { v8Serializer } from "../../../engine/rdd/storage/v8Serializer";

describe("RDD", () => {
  const sc = new SparkContext(2, v8Serializer);

  test("makeRDD splits like ParallelCollectionRDD and keeps order", () => {
    const rdd = sc.makeRDD([1, 2, 3, 4, 5], 2);
    expect(rdd.glom().collect()).toEqual([[1, 2], [3, 4, 5]]);
    expect(rdd.partitions.map((p) => p.index)).toEqual([0, 1]);
    expect(rdd.count()).toBe(5);
  });

  test("MEMORY_ONLY_SER keeps a serialized copy and hands out fresh objects", () => {
    let computed = 0;
    const rdd = sc.makeRDD([{ a: 1 }, { a: 2 }], 1).map((x) => (computed++, { ...x })).persist(StorageLevel.MEMORY_ONLY_SER);
    const first = rdd.collect();
    const second = rdd.collect();
    expect(computed).toBe(2); // computed once
    expect(second).toEqual(first);
    expect(second[0]).not.toBe(first[0]); // deserialized again
    expect(sc.blockManager.isSerialized(rdd.id, 0)).toBe(true);
    rdd.unpersist();
    rdd.collect();
    expect(computed).toBe(4);
  });

  test("MEMORY_ONLY keeps the objects themselves", () => {
    const rdd = sc.makeRDD([{ a: 1 }], 1).map((x) => ({ ...x })).cache();
    expect(rdd.collect()[0]).toBe(rdd.collect()[0]);
    expect(sc.blockManager.isSerialized(rdd.id, 0)).toBe(false);
  });

  test("structured keys are grouped by value; primitives by identity", () => {
    const rdd = sc.makeRDD<[unknown, number]>([[["acct", 1], 1], [["acct", 1], 2], [{ b: 1, a: 2 }, 3], [{ a: 2, b: 1 }, 4], ["1", 5], [1, 6]]);
    const out = new Map(rdd.reduceByKey((a, b) => a + b).collect().map(([k, v]) => [JSON.stringify(k), v]));
    expect(out).toEqual(new Map([[JSON.stringify(["acct", 1]), 3], [JSON.stringify({ b: 1, a: 2 }), 7], ['"1"', 5], ["1", 6]]));
  });

  test("HashPartitioner places keys like Spark (String.hashCode mod n)", () => {
    const p = new HashPartitioner(4);
    expect(p.getPartition("a")).toBe(97 % 4);
    expect(p.getPartition(-3)).toBe(1);
    const rdd = sc.makeRDD<[string, number]>([["a", 1], ["b", 1], ["a", 1]]).reduceByKey((x, y) => x + y, p);
    expect(rdd.numPartitions).toBe(4);
    expect(rdd.glom().collect()[97 % 4]).toEqual([["a", 2]]);
  });

  test("checkpoint materializes and cuts the lineage", () => {
    const rdd = sc.makeRDD([1, 2, 3]).map((x) => x * 2);
    rdd.checkpoint();
    expect(rdd.dependencies).toHaveLength(1);
    expect(rdd.doCheckpoint()?.flat()).toEqual([2, 4, 6]);
    expect(rdd.dependencies).toHaveLength(0);
    expect(rdd.collect()).toEqual([2, 4, 6]);
  });
});
