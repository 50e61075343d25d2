import { describe, expect, test } from "vitest";
import { SparkException, StorageLevel, Seconds, Time, WindowedDStream, type DStream, type RDD } from "../../engine/index";
import { collectOutput, newContext, range, runStreams, TestInputStream, testOperation, testOperation2, numInputPartitions } from "./harness";

describe("BasicOperationsSuite", () => {
  const input = [range(1, 4), range(5, 8), range(9, 12)];

  test("map", () => testOperation(input, (r: DStream<number>) => r.map(String), input.map((b) => b.map(String))));

  test("flatMap", () =>
    testOperation(input, (r: DStream<number>) => r.flatMap((x) => [x, x * 2]), input.map((b) => b.flatMap((x) => [x, x * 2]))));

  test("filter", () =>
    testOperation(input, (r: DStream<number>) => r.filter((x) => x % 2 === 0), input.map((b) => b.filter((x) => x % 2 === 0))));

  test("glom", () => {
    expect(numInputPartitions).toBe(2);
    const output = [[[1, 2], [3, 4]], [[5, 6], [7, 8]], [[9, 10], [11, 12]]];
    return testOperation(input, (r: DStream<number>) => r.glom(), output);
  });

  test("mapPartitions", () =>
    testOperation(input, (r: DStream<number>) => r.mapPartitions((x) => [x.reduce((a, b) => a + b, 0)]), [[3, 7], [11, 15], [19, 23]], {
      useSet: true,
    }));

  async function repartitionCase(numPartitions: number, inputPartitions: number): Promise<void> {
    const data = [range(1, 100), range(101, 200), range(201, 300)];
    const { ssc, clock } = newContext();
    const output = collectOutput(new TestInputStream(ssc, data, inputPartitions).repartition(numPartitions));
    const result = await runStreams(ssc, clock, output, 3, 3);
    result.forEach((batch, i) => {
      expect(batch.length).toBe(numPartitions);
      expect(new Set(batch.flat())).toEqual(new Set(data[i]));
    });
  }
  test("repartition (more partitions)", () => repartitionCase(5, 2));
  test("repartition (fewer partitions)", () => repartitionCase(2, 5));

  const strings = [["a", "a", "b"], ["", ""], []];
  test("groupByKey", () =>
    testOperation(
      strings,
      (s: DStream<string>) => s.map((x) => [x, 1] as [string, number]).groupByKey(),
      [[["a", [1, 1]], ["b", [1]]], [["", [1, 1]]], []],
      { useSet: true },
    ));

  test("reduceByKey", () =>
    testOperation(
      strings,
      (s: DStream<string>) => s.map((x) => [x, 1] as [string, number]).reduceByKey((a, b) => a + b),
      [[["a", 2], ["b", 1]], [["", 2]], []],
      { useSet: true },
    ));

  test("reduce", () => testOperation(input, (s: DStream<number>) => s.reduce((a, b) => a + b), [[10], [26], [42]]));

  test("count", () =>
    testOperation([[], range(1, 1), range(1, 2), range(1, 3), range(1, 4)], (s: DStream<number>) => s.count(), [[0], [1], [2], [3], [4]]));

  test("countByValue", () =>
    testOperation(
      [range(1, 1), [1, 1, 1], range(1, 2), [1, 1, 2, 2]],
      (s: DStream<number>) => s.countByValue(),
      [[[1, 1]], [[1, 3]], [[1, 1], [2, 1]], [[2, 2], [1, 2]]],
      { useSet: true },
    ));

  test("mapValues", () =>
    testOperation(
      strings,
      (s: DStream<string>) => s.map((x) => [x, 1] as [string, number]).reduceByKey((a, b) => a + b).mapValues((x) => x + 10),
      [[["a", 12], ["b", 11]], [["", 12]], []],
      { useSet: true },
    ));

  test("flatMapValues", () =>
    testOperation(
      strings,
      (s: DStream<string>) => s.map((x) => [x, 1] as [string, number]).reduceByKey((a, b) => a + b).flatMapValues((x) => [x, x + 10]),
      [[["a", 2], ["a", 12], ["b", 1], ["b", 11]], [["", 2], ["", 12]], []],
      { useSet: true },
    ));

  const unionInput = [range(1, 4), range(101, 104), range(201, 204)];
  test("union", () =>
    testOperation(unionInput, (s: DStream<number>) => s.union(s.map((x) => x + 4)), [range(1, 8), range(101, 108), range(201, 208)]));

  test("union with input stream return None", async () => {
    await expect(
      testOperation([...unionInput, null], (s: DStream<number>) => s.union(s.map((x) => x + 4)), [range(1, 8), range(101, 108), range(201, 208)], {
        numBatches: 4,
      }),
    ).rejects.toThrow(SparkException);
  });

  test("StreamingContext.union", () =>
    testOperation(unionInput, (s: DStream<number>) => s.context().union([s, s.map((x) => x + 4), s.map((x) => x + 8)]), [
      range(1, 12),
      range(101, 112),
      range(201, 212),
    ]));

  test("transform", () =>
    testOperation(input, (r: DStream<number>) => r.transform((rdd) => rdd.map(String)), input.map((b) => b.map(String))));

  test("transform with NULL", async () => {
    await expect(
      testOperation([range(1, 4)], (r: DStream<number>) => r.transform(() => null as unknown as RDD<number>), [[]], { numBatches: 1 }),
    ).rejects.toThrow(SparkException);
  });

  test("transform with input stream return None", async () => {
    await expect(
      testOperation([range(1, 4), range(5, 8), null], (r: DStream<number>) => r.transform((rdd) => rdd.map(String)), [
        range(1, 4).map(String),
        range(5, 8).map(String),
      ], { numBatches: 3 }),
    ).rejects.toThrow(SparkException);
  });

  const joinInput1 = [["a", "b"], ["a", ""], [""], []];
  const joinInput2 = [["a", "b"], ["b", ""], [], [""]];
  const ones = (s: DStream<string>) => s.map((x) => [x, 1] as [string, number]);
  const xs = (s: DStream<string>) => s.map((x) => [x, "x"] as [string, string]);

  test("transformWith", () =>
    testOperation2(
      joinInput1,
      joinInput2,
      (s1: DStream<string>, s2: DStream<string>) => ones(s1).transformWith(xs(s2), (r1: RDD<[string, number]>, r2: RDD<[string, string]>) => r1.join(r2)),
      [[["a", [1, "x"]], ["b", [1, "x"]]], [["", [1, "x"]]], [], []],
      { useSet: true },
    ));

  test("transformWith with input stream return None", async () => {
    await expect(
      testOperation2(
        [["a", "b"], ["a", ""], [""], null],
        [["a", "b"], ["b", ""], [], null],
        (s1: DStream<string>, s2: DStream<string>) => s1.transformWith(s2, (r1: RDD<string>, r2: RDD<string>) => r1.union(r2)),
        [["a", "b", "a", "b"], ["a", "b", "", ""], [""]],
        { numBatches: 4, useSet: true },
      ),
    ).rejects.toThrow(SparkException);
  });

  const transformAll = (s: DStream<number>) =>
    s.context().transform([s, s.map((x) => x + 4), s.map((x) => x + 8)], (rdds) => s.context().sparkContext.union(rdds as RDD<number>[]));
  test("StreamingContext.transform", () => testOperation(unionInput, transformAll, [range(1, 12), range(101, 112), range(201, 212)]));

  test("StreamingContext.transform with input stream return None", async () => {
    await expect(testOperation([...unionInput, null], transformAll, [range(1, 12), range(101, 112), range(201, 212)], { numBatches: 4 })).rejects.toThrow(
      SparkException,
    );
  });

  test("cogroup", () =>
    testOperation2(
      [["a", "a", "b"], ["a", ""], [""], []],
      [["a", "a", "b"], ["b", ""], [], []],
      (s1: DStream<string>, s2: DStream<string>) => ones(s1).cogroup(xs(s2)),
      [
        [["a", [[1, 1], ["x", "x"]]], ["b", [[1], ["x"]]]],
        [["a", [[1], []]], ["b", [[], ["x"]]], ["", [[1], ["x"]]]],
        [["", [[1], []]]],
        [],
      ],
      { useSet: true },
    ));

  test("join", () =>
    testOperation2(joinInput1, joinInput2, (s1: DStream<string>, s2: DStream<string>) => ones(s1).join(xs(s2)), [
      [["a", [1, "x"]], ["b", [1, "x"]]],
      [["", [1, "x"]]],
      [],
      [],
    ], { useSet: true }));

  test("leftOuterJoin", () =>
    testOperation2(joinInput1, joinInput2, (s1: DStream<string>, s2: DStream<string>) => ones(s1).leftOuterJoin(xs(s2)), [
      [["a", [1, "x"]], ["b", [1, "x"]]],
      [["", [1, "x"]], ["a", [1, undefined]]],
      [["", [1, undefined]]],
      [],
    ], { useSet: true }));

  test("rightOuterJoin", () =>
    testOperation2(joinInput1, joinInput2, (s1: DStream<string>, s2: DStream<string>) => ones(s1).rightOuterJoin(xs(s2)), [
      [["a", [1, "x"]], ["b", [1, "x"]]],
      [["", [1, "x"]], ["b", [undefined, "x"]]],
      [],
      [["", [undefined, "x"]]],
    ], { useSet: true }));

  test("fullOuterJoin", () =>
    testOperation2(joinInput1, joinInput2, (s1: DStream<string>, s2: DStream<string>) => ones(s1).fullOuterJoin(xs(s2)), [
      [["a", [1, "x"]], ["b", [1, "x"]]],
      [["", [1, "x"]], ["a", [1, undefined]], ["b", [undefined, "x"]]],
      [["", [1, undefined]]],
      [["", [undefined, "x"]]],
    ], { useSet: true }));

  test("slice", async () => {
    const { ssc } = newContext();
    const stream = new TestInputStream(ssc, [[1], [2], [3], [4]], 2);
    stream.foreachRDD(() => {});
    ssc.start();
    try {
      const fromSlice = (from: number, to: number) => new Set(stream.slice(new Time(from), new Time(to)).flatMap((r) => r.collect()));
      expect(fromSlice(0, 1000)).toEqual(new Set([1]));
      expect(fromSlice(0, 2000)).toEqual(new Set([1, 2]));
      expect(fromSlice(1000, 2000)).toEqual(new Set([1, 2]));
      expect(fromSlice(2000, 4000)).toEqual(new Set([2, 3, 4]));
    } finally {
      await ssc.stop();
    }
  });

  test("slice - has not been initialized", async () => {
    const { ssc } = newContext();
    const stream = new TestInputStream(ssc, [[1], [2], [3], [4]], 2);
    expect(() => stream.slice(new Time(0), new Time(1000))).toThrow(/has not been initialized/);
    expect(() => stream.slice(new Time(0), new Time(1000))).toThrow(SparkException);
    await ssc.stop();
  });

  test("rdd cleanup - map and window", async () => {
    const cleanupInput = range(0, 9).map((x) => [x, x + 1]);
    const { ssc, clock } = newContext();
    const windowed2 = new TestInputStream(ssc, cleanupInput, 2)
      .map((x) => [x % 10, 1] as [number, number])
      .window(Seconds(2), Seconds(1))
      .window(Seconds(4), Seconds(2)) as WindowedDStream<[number, number]>;
    const output = collectOutput(windowed2);
    ssc.remember(Seconds(3));
    await runStreams(ssc, clock, output, cleanupInput.length, cleanupInput.length / 2);
    expect(clock.getTimeMillis()).toBe(10_000);
    const windowed1 = windowed2.dependencies[0] as WindowedDStream<[number, number]>;
    const mapped = windowed1.dependencies[0];
    expect(windowed2.rememberDuration).toEqual(Seconds(3));
    expect(windowed1.rememberDuration).toEqual(Seconds(3).plus(windowed2.windowDuration));
    expect(mapped.rememberDuration).toEqual(Seconds(3).plus(windowed2.windowDuration).plus(windowed1.windowDuration));
    expect(windowed2.generatedRDDs.has(10000)).toBe(true);
    expect(windowed2.generatedRDDs.has(8000)).toBe(true);
    expect(windowed2.generatedRDDs.has(6000)).toBe(false);
    expect(windowed1.generatedRDDs.has(10000)).toBe(true);
    expect(windowed1.generatedRDDs.has(4000)).toBe(true);
    expect(windowed1.generatedRDDs.has(3000)).toBe(false);
    expect(mapped.generatedRDDs.has(10000)).toBe(true);
    expect(mapped.generatedRDDs.has(2000)).toBe(true);
    expect(mapped.generatedRDDs.has(1000)).toBe(false);
  });

  test("rdd cleanup - input blocks and persisted RDDs", async () => {
    const { ssc, clock } = newContext();
    const input = new TestInputStream(ssc, range(1, 6).map((x) => [x]), 2);
    const mapped = input.map((x) => `${x}.`).persist();
    const ids = new Map<number, number>();
    mapped.foreachRDD((rdd, time) => {
      rdd.collect();
      ids.set(time.milliseconds, rdd.id);
    });
    ssc.start();
    for (let i = 0; i < 6; i++) {
      clock.advance(Seconds(1));
      await ssc.awaitBatchesDue();
    }
    expect(mapped.storageLevel).toBe(StorageLevel.MEMORY_ONLY_SER);
    const persisted = ssc.sparkContext.getPersistentRDDIds();
    expect(persisted).toContain(ids.get(6000));
    expect(persisted).not.toContain(ids.get(1000));
    await ssc.stop();
  });
});
