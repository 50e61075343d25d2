import { describe, expect, test } from "vitest";
import { Seconds, StorageLevel, type Duration, type DStream } from "../../engine/index";
import { batchDuration, newContext, TestInputStream, testOperation } from "./harness";

type KV = [string, number];

const largerSlideInput: KV[][] = [[["a", 1]], [["a", 2]], [["a", 3]], [["a", 4]], [["a", 5]], [["a", 6]], [], []];
const largerSlideReduceOutput: KV[][] = [[["a", 3]], [["a", 10]], [["a", 18]], [["a", 11]]];

const bigInput: KV[][] = [
  [["a", 1]],
  [["a", 1], ["b", 1]],
  [["a", 1], ["b", 1], ["c", 1]],
  [["a", 1], ["b", 1]],
  [["a", 1]],
  [],
  [["a", 1]],
  [["a", 1], ["b", 1]],
  [["a", 1], ["b", 1], ["c", 1]],
  [["a", 1], ["b", 1]],
  [["a", 1]],
  [],
];

const bigGroupByOutput: [string, number[]][][] = [
  [["a", [1]]],
  [["a", [1, 1]], ["b", [1]]],
  [["a", [1, 1]], ["b", [1, 1]], ["c", [1]]],
  [["a", [1, 1]], ["b", [1, 1]], ["c", [1]]],
  [["a", [1, 1]], ["b", [1]]],
  [["a", [1]]],
  [["a", [1]]],
  [["a", [1, 1]], ["b", [1]]],
  [["a", [1, 1]], ["b", [1, 1]], ["c", [1]]],
  [["a", [1, 1]], ["b", [1, 1]], ["c", [1]]],
  [["a", [1, 1]], ["b", [1]]],
  [["a", [1]]],
];

const bigReduceOutput: KV[][] = [
  [["a", 1]],
  [["a", 2], ["b", 1]],
  [["a", 2], ["b", 2], ["c", 1]],
  [["a", 2], ["b", 2], ["c", 1]],
  [["a", 2], ["b", 1]],
  [["a", 1]],
  [["a", 1]],
  [["a", 2], ["b", 1]],
  [["a", 2], ["b", 2], ["c", 1]],
  [["a", 2], ["b", 2], ["c", 1]],
  [["a", 2], ["b", 1]],
  [["a", 1]],
];

// With an inverse function but no filter, keys whose value falls to 0 stay in the window.
const bigReduceInvOutput: KV[][] = [
  [["a", 1]],
  [["a", 2], ["b", 1]],
  [["a", 2], ["b", 2], ["c", 1]],
  [["a", 2], ["b", 2], ["c", 1]],
  [["a", 2], ["b", 1], ["c", 0]],
  [["a", 1], ["b", 0], ["c", 0]],
  [["a", 1], ["b", 0], ["c", 0]],
  [["a", 2], ["b", 1], ["c", 0]],
  [["a", 2], ["b", 2], ["c", 1]],
  [["a", 2], ["b", 2], ["c", 1]],
  [["a", 2], ["b", 1], ["c", 0]],
  [["a", 1], ["b", 0], ["c", 0]],
];

const numBatchesFor = (expected: unknown[], slide: Duration) => expected.length * (slide.milliseconds / batchDuration.milliseconds);

function testWindow(name: string, input: number[][], expected: number[][], windowDuration = Seconds(2), slideDuration = Seconds(1)) {
  test(`window - ${name}`, () =>
    testOperation(input, (s: DStream<number>) => s.window(windowDuration, slideDuration), expected, {
      numBatches: numBatchesFor(expected, slideDuration),
      useSet: true,
    }));
}

function testReduceByKeyAndWindow(name: string, input: KV[][], expected: KV[][], windowDuration = Seconds(2), slideDuration = Seconds(1)) {
  test(`reduceByKeyAndWindow - ${name}`, () =>
    testOperation(input, (s: DStream<KV>) => s.reduceByKeyAndWindow((x, y) => x + y, windowDuration, slideDuration), expected, {
      numBatches: numBatchesFor(expected, slideDuration),
      useSet: true,
    }));
}

function testReduceByKeyAndWindowWithInverse(name: string, input: KV[][], expected: KV[][], windowDuration = Seconds(2), slideDuration = Seconds(1)) {
  test(`reduceByKeyAndWindow with inverse function - ${name}`, () =>
    testOperation(
      input,
      (s: DStream<KV>) =>
        s.reduceByKeyAndWindow((x, y) => x + y, (x, y) => x - y, windowDuration, slideDuration).checkpoint(Seconds(100)), // large: no effect of RDD checkpointing
      expected,
      { numBatches: numBatchesFor(expected, slideDuration), useSet: true },
    ));
}

function testReduceByKeyAndWindowWithFilteredInverse(name: string, input: KV[][], expected: KV[][], windowDuration = Seconds(2), slideDuration = Seconds(1)) {
  test(`reduceByKeyAndWindow with inverse and filter functions - ${name}`, () =>
    testOperation(
      input,
      (s: DStream<KV>) =>
        s
          .reduceByKeyAndWindow((x, y) => x + y, (x, y) => x - y, windowDuration, slideDuration, undefined, (p) => p[1] !== 0)
          .persist()
          .checkpoint(Seconds(100)),
      expected,
      { numBatches: numBatchesFor(expected, slideDuration), useSet: true },
    ));
}

describe("WindowOperationsSuite", () => {
  const zeroToFive = [[0], [1], [2], [3], [4], [5]];
  testWindow("basic window", zeroToFive, [[0], [0, 1], [1, 2], [2, 3], [3, 4], [4, 5]]);
  testWindow("tumbling window", zeroToFive, [[0, 1], [2, 3], [4, 5]], Seconds(2), Seconds(2));
  testWindow("larger window", zeroToFive, [[0, 1], [0, 1, 2, 3], [2, 3, 4, 5], [4, 5]], Seconds(4), Seconds(2));
  testWindow("non-overlapping window", zeroToFive, [[1, 2], [4, 5]], Seconds(2), Seconds(3));

  test("window - persistence level", async () => {
    const { ssc } = newContext();
    const inputStream = new TestInputStream(ssc, zeroToFive, 1);
    const windowStream1 = inputStream.window(batchDuration.times(2));
    expect(windowStream1.storageLevel).toBe(StorageLevel.NONE);
    expect(inputStream.storageLevel).toBe(StorageLevel.MEMORY_ONLY_SER);
    windowStream1.persist(StorageLevel.MEMORY_ONLY);
    expect(windowStream1.storageLevel).toBe(StorageLevel.NONE);
    expect(inputStream.storageLevel).toBe(StorageLevel.MEMORY_ONLY);
    await ssc.stop();
  });

  testReduceByKeyAndWindow("basic reduction", [[["a", 1], ["a", 3]]], [[["a", 4]]]);
  testReduceByKeyAndWindow("key already in window and new value added into window", [[["a", 1]], [["a", 1]]], [[["a", 1]], [["a", 2]]]);
  testReduceByKeyAndWindow("new key added into window", [[["a", 1]], [["a", 1], ["b", 1]]], [[["a", 1]], [["a", 2], ["b", 1]]]);
  testReduceByKeyAndWindow("key removed from window", [[["a", 1]], [["a", 1]], [], []], [[["a", 1]], [["a", 2]], [["a", 1]], []]);
  testReduceByKeyAndWindow("larger slide time", largerSlideInput, largerSlideReduceOutput, Seconds(4), Seconds(2));
  testReduceByKeyAndWindow("big test", bigInput, bigReduceOutput);

  testReduceByKeyAndWindowWithInverse("basic reduction", [[["a", 1], ["a", 3]]], [[["a", 4]]]);
  testReduceByKeyAndWindowWithInverse("key already in window and new value added into window", [[["a", 1]], [["a", 1]]], [[["a", 1]], [["a", 2]]]);
  testReduceByKeyAndWindowWithInverse("new key added into window", [[["a", 1]], [["a", 1], ["b", 1]]], [[["a", 1]], [["a", 2], ["b", 1]]]);
  testReduceByKeyAndWindowWithInverse("key removed from window", [[["a", 1]], [["a", 1]], [], []], [[["a", 1]], [["a", 2]], [["a", 1]], [["a", 0]]]);
  testReduceByKeyAndWindowWithInverse("larger slide time", largerSlideInput, largerSlideReduceOutput, Seconds(4), Seconds(2));
  testReduceByKeyAndWindowWithInverse("big test", bigInput, bigReduceInvOutput);

  testReduceByKeyAndWindowWithFilteredInverse("big test", bigInput, bigReduceOutput);

  test("groupByKeyAndWindow", () => {
    const expected = bigGroupByOutput.map((b) => b.map(([k, vs]) => [k, [...new Set(vs)].sort()] as [string, number[]]));
    return testOperation(
      bigInput,
      (s: DStream<KV>) =>
        s
          .groupByKeyAndWindow(Seconds(2), Seconds(1))
          .map(([k, vs]) => [k, [...new Set(vs)].sort()] as [string, number[]])
          .persist(),
      expected,
      { numBatches: numBatchesFor(expected, Seconds(1)), useSet: true },
    );
  });

  test("countByWindow", () => {
    const expected = [[1], [2], [3], [3], [1], [0]];
    return testOperation([[1], [1], [1, 2], [0], [], []], (s: DStream<number>) => s.countByWindow(Seconds(2), Seconds(1)), expected, {
      numBatches: numBatchesFor(expected, Seconds(1)),
      useSet: true,
    });
  });

  test("countByValueAndWindow", () => {
    const expected = [[["a", 1]], [["a", 1], ["b", 2]], [["a", 1], ["b", 3]]];
    return testOperation([["a"], ["b", "b"], ["a", "b"]], (s: DStream<string>) => s.countByValueAndWindow(Seconds(2), Seconds(1)), expected, {
      numBatches: numBatchesFor(expected, Seconds(1)),
      useSet: true,
    });
  });
});
