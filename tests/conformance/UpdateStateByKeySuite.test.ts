import { describe, expect, test } from "vitest";
import { HashPartitioner, Seconds, type DStream, type Time } from "../../engine/index";
import {
  newContext,
  numInputPartitions,
  range,
  runStreams,
  TestInputStream,
  collectOutput,
  testCheckpointedOperation,
  testOperation,
} from "./harness";

/** The updateStateByKey cases of Spark's BasicOperationsSuite and CheckpointSuite. */
describe("BasicOperationsSuite (updateStateByKey)", () => {
  const inputData = [["a"], ["a", "b"], ["a", "b", "c"], ["a", "b"], ["a"], []];
  const pairs = (s: DStream<string>) => s.map((x) => [x, 1] as [string, number]);
  const sum = (values: number[], state: number | undefined) => values.reduce((a, b) => a + b, 0) + (state ?? 0);

  test("updateStateByKey", () =>
    testOperation(
      inputData,
      (s: DStream<string>) => pairs(s).updateStateByKey(sum),
      [
        [["a", 1]],
        [
          ["a", 2],
          ["b", 1],
        ],
        [
          ["a", 3],
          ["b", 2],
          ["c", 1],
        ],
        [
          ["a", 4],
          ["b", 3],
          ["c", 1],
        ],
        [
          ["a", 5],
          ["b", 3],
          ["c", 1],
        ],
        [
          ["a", 5],
          ["b", 3],
          ["c", 1],
        ],
      ],
      { useSet: true },
    ));

  const withInitial = [
    [
      ["a", 2],
      ["c", 2],
    ],
    [
      ["a", 3],
      ["b", 1],
      ["c", 2],
    ],
    [
      ["a", 4],
      ["b", 2],
      ["c", 3],
    ],
    [
      ["a", 5],
      ["b", 3],
      ["c", 3],
    ],
    [
      ["a", 6],
      ["b", 3],
      ["c", 3],
    ],
    [
      ["a", 6],
      ["b", 3],
      ["c", 3],
    ],
  ];

  test("updateStateByKey - simple with initial value RDD", () =>
    testOperation(
      inputData,
      (s: DStream<string>) => {
        const initialRDD = s.context().sparkContext.makeRDD<[string, number]>([
          ["a", 1],
          ["c", 2],
        ]);
        return pairs(s).updateStateByKey(sum, new HashPartitioner(numInputPartitions), initialRDD);
      },
      withInitial,
      { useSet: true },
    ));

  test("updateStateByKey - testing time stamps as input", () =>
    testOperation(
      inputData,
      (s: DStream<string>) => {
        const initialRDD = s.context().sparkContext.makeRDD<[string, number]>([
          ["a", 0],
          ["c", 0],
        ]);
        // Update only if values arrived for the key in this batch.
        const updateFunc = (time: Time, _key: string, values: number[], state: number | undefined) =>
          values.length > 0 ? time.milliseconds + (state ?? 0) : (state ?? 0);
        return pairs(s).updateStateByKey(updateFunc, new HashPartitioner(numInputPartitions), false, initialRDD);
      },
      [
        [
          ["a", 1000],
          ["c", 0],
        ],
        [
          ["a", 3000],
          ["b", 2000],
          ["c", 0],
        ],
        [
          ["a", 6000],
          ["b", 5000],
          ["c", 3000],
        ],
        [
          ["a", 10000],
          ["b", 9000],
          ["c", 3000],
        ],
        [
          ["a", 15000],
          ["b", 9000],
          ["c", 3000],
        ],
        [
          ["a", 15000],
          ["b", 9000],
          ["c", 3000],
        ],
      ],
      { useSet: true },
    ));

  test("updateStateByKey - with initial value RDD", () =>
    testOperation(
      inputData,
      (s: DStream<string>) => {
        const initialRDD = s.context().sparkContext.makeRDD<[string, number]>([
          ["a", 1],
          ["c", 2],
        ]);
        const iteratorFunc = (records: (readonly [string, number[], number | undefined])[]) =>
          records.map(([k, vs, st]): [string, number] => [k, sum(vs, st)]);
        return pairs(s).updateStateByKey(iteratorFunc, new HashPartitioner(numInputPartitions), true, initialRDD);
      },
      withInitial,
      { useSet: true },
    ));

  test("updateStateByKey - object lifecycle", () => {
    class StateObject {
      constructor(
        public counter = 0,
        public expireCounter = 0,
      ) {}
    }
    // Clears a key's state once it was seen twice in a row without new values.
    const updateFunc = (values: number[], state: StateObject | undefined): StateObject | undefined => {
      const stateObj = state ?? new StateObject();
      const n = values.reduce((a, b) => a + b, 0);
      if (n === 0) stateObj.expireCounter += 1;
      else {
        stateObj.counter += n;
        stateObj.expireCounter = 0;
      }
      return stateObj.expireCounter === 2 ? undefined : stateObj;
    };
    return testOperation(
      [["a", "b"], null, ["a", "c", "a"], ["c"], null, null],
      (s: DStream<string>) =>
        pairs(s)
          .updateStateByKey(updateFunc)
          .mapValues((o) => o.counter),
      [
        [
          ["a", 1],
          ["b", 1],
        ],
        [
          ["a", 1],
          ["b", 1],
        ],
        [
          ["a", 3],
          ["c", 1],
        ],
        [
          ["a", 3],
          ["c", 2],
        ],
        [["c", 2]],
        [],
      ],
      { useSet: true },
    );
  });

  test("rdd cleanup - updateStateByKey", async () => {
    const cleanupInput = range(0, 9).map((x) => [x, x + 1]);
    const { ssc, clock } = newContext();
    const stateStream = new TestInputStream(ssc, cleanupInput, 2)
      .map((x) => [x, 1] as [number, number])
      .updateStateByKey(sum)
      .checkpoint(Seconds(3));
    const output = collectOutput(stateStream);
    await runStreams(ssc, clock, output, cleanupInput.length, cleanupInput.length);
    expect(stateStream.rememberDuration).toEqual(stateStream.checkpointDuration!.times(2));
    expect(stateStream.generatedRDDs.has(10000)).toBe(true);
    expect(stateStream.generatedRDDs.has(4000)).toBe(false);
  });

  // CheckpointSuite: "recovery with updateStateByKey operation".
  test("recovery with updateStateByKey operation", () => {
    const input = range(1, 10).map((n) => Array.from({ length: n }, () => "a"));
    const expected = range(1, 10).map((n) => [["a", (n * (n + 1)) / 2]]);
    return testCheckpointedOperation(
      input,
      (s: DStream<string>) =>
        pairs(s)
          .updateStateByKey(sum)
          .checkpoint(Seconds(2))
          .map((kv) => kv),
      expected,
      6,
    );
  });
});
