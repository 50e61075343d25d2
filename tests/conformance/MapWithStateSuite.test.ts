import { rmSync } from "node:fs";
import { afterEach, describe, expect, test } from "vitest";
import {
  IllegalArgumentException,
  ManualClock,
  Milliseconds,
  NoSuchElementException,
  Seconds,
  StateSpec,
  StreamingContext,
  type Duration,
  type DStream,
  type State,
  type Time,
} from "../../engine/index";
import { StateImpl } from "../../engine/state/State";
import { collectOutput, tempCheckpointDir, testCheckpointedOperation, TestInputStream, verifyOutput } from "./harness";

/** Spark's MapWithStateSuite. */
describe("MapWithStateSuite", () => {
  const dirs: string[] = [];
  const checkpointDir = () => {
    const d = tempCheckpointDir();
    dirs.push(d);
    return d;
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  test("state - get, exists, update, remove", () => {
    let state = new StateImpl<number>();
    const testState = (
      expected: number | undefined,
      o: { updated?: boolean; removed?: boolean; timingOut?: boolean } = {},
    ) => {
      if (expected !== undefined) {
        expect(state.exists()).toBe(true);
        expect(state.get()).toBe(expected);
        expect(state.getOption()).toBe(expected);
      } else {
        expect(state.exists()).toBe(false);
        expect(() => state.get()).toThrow(NoSuchElementException);
        expect(state.getOption()).toBeUndefined();
      }
      expect(state.isTimingOut()).toBe(o.timingOut ?? false);
      if (o.timingOut) {
        expect(() => state.remove()).toThrow(IllegalArgumentException);
        expect(() => state.update(-1)).toThrow(IllegalArgumentException);
      }
      expect(state.isUpdated()).toBe(o.updated ?? false);
      expect(state.isRemoved()).toBe(o.removed ?? false);
      if (o.removed) {
        expect(() => state.remove()).toThrow(IllegalArgumentException);
        expect(() => state.update(-1)).toThrow(IllegalArgumentException);
      }
    };
    testState(undefined);
    state.wrap(false);
    testState(undefined);
    state.wrap(true, 1);
    testState(1);
    state.update(2);
    testState(2, { updated: true });
    state = new StateImpl<number>();
    state.update(2);
    testState(2, { updated: true });
    state.remove();
    testState(undefined, { removed: true });
    state.wrapTimingOutState(3);
    testState(3, { timingOut: true });
  });

  const inputData = [[], ["a"], ["a", "b"], ["a", "b", "c"], ["a", "b"], ["a"], []];
  const stateData = [
    [],
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
  ];

  /** Spark's getOperationOutput: outputs and state snapshots of `numBatches` batches. */
  async function getOperationOutput<S, E>(
    input: readonly (readonly string[])[],
    spec: StateSpec<string, number, S, E>,
    numBatches: number,
  ) {
    const clock = new ManualClock(0);
    const ssc = new StreamingContext(Seconds(1), { clock, defaultParallelism: 2 });
    const stream = new TestInputStream(ssc, input, 2).map((x) => [x, 1] as [string, number]).mapWithState(spec);
    const outputs = collectOutput(stream);
    const snapshots = collectOutput(stream.stateSnapshots());
    ssc.checkpoint(checkpointDir());
    ssc.start();
    clock.advance(Seconds(numBatches));
    await ssc.awaitBatchesDue();
    await ssc.stop();
    if (ssc.reportedError !== undefined) throw ssc.reportedError;
    return { outputs: outputs.map((p) => p.flat()), snapshots: snapshots.map((p) => p.flat()) };
  }

  async function testOperation<S, E>(
    input: readonly (readonly string[])[],
    spec: StateSpec<string, number, S, E>,
    expectedOutputs: unknown[][],
    expectedSnapshots: unknown[][],
  ) {
    const { outputs, snapshots } = await getOperationOutput(input, spec, expectedOutputs.length);
    verifyOutput(outputs, expectedOutputs, true);
    verifyOutput(snapshots, expectedSnapshots, true);
  }

  test("mapWithState - basic operations with simple API", () => {
    // The state keeps a running count; the updated count is returned.
    const mappingFunc = (_key: string, value: number | undefined, state: State<number>) => {
      const sum = (value ?? 0) + (state.getOption() ?? 0);
      state.update(sum);
      return sum;
    };
    return testOperation(
      inputData,
      StateSpec.function(mappingFunc),
      [[], [1], [2, 1], [3, 2, 1], [4, 3], [5], []],
      stateData,
    );
  });

  test("mapWithState - basic operations with advanced API", () => {
    // The state keeps a running count; the key doubled is returned.
    const mappingFunc = (_time: Time, key: string, value: number | undefined, state: State<number>) => {
      state.update((value ?? 0) + (state.getOption() ?? 0));
      return key + key;
    };
    return testOperation(
      inputData,
      StateSpec.function(mappingFunc),
      [[], ["aa"], ["aa", "bb"], ["aa", "bb", "cc"], ["aa", "bb"], ["aa"], []],
      stateData,
    );
  });

  test("mapWithState - states as mapped data", () => {
    const mappingFunc = (_time: Time, key: string, value: number | undefined, state: State<number>) => {
      const sum = (value ?? 0) + (state.getOption() ?? 0);
      state.update(sum);
      return [key, sum];
    };
    return testOperation(
      inputData,
      StateSpec.function(mappingFunc),
      [
        [],
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
        ],
        [["a", 5]],
        [],
      ],
      stateData,
    );
  });

  test("mapWithState - initial states, with nothing returned as from mapping function", async () => {
    const clock = new ManualClock(0);
    const ssc = new StreamingContext(Seconds(1), { clock, defaultParallelism: 2 });
    const initialState = ssc.sc.makeRDD<[string, number]>([
      ["a", 5],
      ["b", 10],
      ["c", -20],
      ["d", 0],
    ]);
    const mappingFunc = (_time: Time, _key: string, value: number | undefined, state: State<number>) => {
      state.update((value ?? 0) + (state.getOption() ?? 0));
      return undefined as number | undefined;
    };
    const stream = new TestInputStream(ssc, inputData, 2)
      .map((x) => [x, 1] as [string, number])
      .mapWithState(StateSpec.function(mappingFunc).initialState(initialState));
    const outputs = collectOutput(stream);
    const snapshots = collectOutput(stream.stateSnapshots());
    ssc.checkpoint(checkpointDir());
    ssc.start();
    clock.advance(Seconds(inputData.length));
    await ssc.awaitBatchesDue();
    await ssc.stop();
    verifyOutput(
      outputs.map((p) => p.flat()),
      inputData.map(() => []),
      true,
    );
    verifyOutput(
      snapshots.map((p) => p.flat()),
      [
        [
          ["a", 5],
          ["b", 10],
          ["c", -20],
          ["d", 0],
        ],
        [
          ["a", 6],
          ["b", 10],
          ["c", -20],
          ["d", 0],
        ],
        [
          ["a", 7],
          ["b", 11],
          ["c", -20],
          ["d", 0],
        ],
        [
          ["a", 8],
          ["b", 12],
          ["c", -19],
          ["d", 0],
        ],
        [
          ["a", 9],
          ["b", 13],
          ["c", -19],
          ["d", 0],
        ],
        [
          ["a", 10],
          ["b", 13],
          ["c", -19],
          ["d", 0],
        ],
        [
          ["a", 10],
          ["b", 13],
          ["c", -19],
          ["d", 0],
        ],
      ],
      true,
    );
  });

  test("mapWithState - state removing", () => {
    const input = [[], ["a"], ["a", "b"], ["a", "b", "c"], ["a", "b", "c"], ["a", "b"], ["a"], []];
    // A key seen with state is removed (and returned); without, it gets state.
    const mappingFunc = (_time: Time, key: string, value: number | undefined, state: State<number>) => {
      if (state.exists()) {
        state.remove();
        return key;
      }
      state.update(value!);
      return undefined;
    };
    return testOperation(
      input,
      StateSpec.function(mappingFunc).numPartitions(1),
      [[], [], ["a"], ["b"], ["a", "c"], ["b"], ["a"], []],
      [
        [],
        [["a", 1]],
        [["b", 1]],
        [
          ["a", 1],
          ["c", 1],
        ],
        [["b", 1]],
        [["a", 1]],
        [],
        [],
      ],
    );
  });

  test("mapWithState - state timing out", async () => {
    const input = [["a", "b", "c"], ["a", "b"], ["a"], [], [], ["a"], ...Array.from({ length: 20 }, () => ["a"])];
    const mappingFunc = (_time: Time, key: string, value: number | undefined, state: State<number>) => {
      if (value !== undefined) state.update(1);
      return state.isTimingOut() ? key : undefined;
    };
    const { outputs, snapshots } = await getOperationOutput(
      input,
      StateSpec.function(mappingFunc).timeout(Seconds(3)),
      20,
    );
    // b and c are returned once each, when they time out.
    expect(outputs.flat().sort()).toEqual(["b", "c"]);
    // a, b and c all have state at some point.
    expect(snapshots.some((s) => s.length === 3 && new Set(s.map((kv) => kv[0])).size === 3)).toBe(true);
    // In the end only a has state.
    expect(snapshots[snapshots.length - 1]).toEqual([["a", 1]]);
  });

  test("mapWithState - checkpoint durations", async () => {
    async function testCheckpointDuration(batchDuration: Duration, expected: Duration, explicit?: Duration) {
      const ssc = new StreamingContext(batchDuration, { clock: new ManualClock(0) });
      try {
        const input = new TestInputStream<number>(ssc, [], 2).map((x) => [x, 1] as [number, number]);
        const stream = input.mapWithState(
          StateSpec.function((_k: number, _v: number | undefined, _s: State<number>) => 0),
        );
        if (explicit !== undefined) stream.checkpoint(explicit);
        stream.register();
        ssc.checkpoint(checkpointDir());
        ssc.start();
        expect(stream.checkpointDuration).toBeUndefined();
        expect(stream.internalStream.checkpointDuration).toEqual(expected);
      } finally {
        await ssc.stop();
      }
    }
    await testCheckpointDuration(Milliseconds(100), Seconds(1));
    await testCheckpointDuration(Seconds(1), Seconds(10));
    await testCheckpointDuration(Seconds(10), Seconds(100));
    await testCheckpointDuration(Milliseconds(100), Seconds(2), Seconds(2));
    await testCheckpointDuration(Seconds(1), Seconds(2), Seconds(2));
    await testCheckpointDuration(Seconds(10), Seconds(20), Seconds(20));
  });

  test("mapWithState - driver failure recovery", () => {
    const runningCount = (_key: string, value: number | undefined, state: State<number>) => {
      state.update((state.getOption() ?? 0) + (value ?? 0));
      return state.get();
    };
    const operation = (dstream: DStream<string>) => {
      const stream = dstream.map((x) => [x, 1] as [string, number]).mapWithState(StateSpec.function(runningCount));
      // An interval that makes sure there is one checkpoint before the restart.
      stream.checkpoint(Seconds(Math.floor(stateData.length / 2)));
      return stream.stateSnapshots();
    };
    return testCheckpointedOperation(inputData, operation, stateData, Math.floor(inputData.length / 2));
  });
});
