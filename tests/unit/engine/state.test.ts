import { describe, expect, test } from "vitest";
import {
  HashPartitioner,
  IllegalArgumentException,
  NoSuchElementException,
  SparkContext,
  StateMap,
  StateSpec,
  Time,
  type State,
} from "../../../engine/index";
import { MapWithStateRDD, MapWithStateRDDRecord, updateRecordWithData } from "../../../engine/state/MapWithStateRDD";
import { StateImpl } from "../../../engine/state/State";
import { NONE } from "../../../engine/state/StateSpec";

describe("State API errors (Spark's messages)", () => {
  test("get without state", () => {
    const s = new StateImpl<number>();
    expect(() => s.get()).toThrow(new NoSuchElementException("State is not set"));
    expect(s.getOption()).toBeUndefined();
    expect(String(s)).toBe("<state not set>");
  });
  test("update after remove, remove twice", () => {
    const s = new StateImpl<number>();
    s.wrap(true, 1);
    s.remove();
    expect(s.exists()).toBe(false);
    expect(() => s.update(2)).toThrow(
      new IllegalArgumentException("requirement failed: Cannot update the state after it has been removed"),
    );
    expect(() => s.remove()).toThrow(
      new IllegalArgumentException("requirement failed: Cannot remove the state that has already been removed"),
    );
  });
  test("update or remove while timing out", () => {
    const s = new StateImpl<number>();
    s.wrapTimingOutState(7);
    expect(s.isTimingOut()).toBe(true);
    expect(s.get()).toBe(7);
    expect(() => s.update(2)).toThrow(
      new IllegalArgumentException("requirement failed: Cannot update the state that is timing out"),
    );
    expect(() => s.remove()).toThrow(
      new IllegalArgumentException("requirement failed: Cannot remove the state that is timing out"),
    );
  });
  test("wrap resets the flags", () => {
    const s = new StateImpl<number>();
    s.wrapTimingOutState(1);
    s.wrap(false);
    expect([s.exists(), s.isTimingOut(), s.isUpdated(), s.isRemoved()]).toEqual([false, false, false, false]);
  });
});

describe("StateSpec", () => {
  const t = new Time(1000);
  test("the 3-argument form emits every result, undefined included", () => {
    const spec = StateSpec.function((_k: string, _v: number | undefined, _s: State<number>) => undefined);
    expect(spec.mappingFunction(t, "a", 1, new StateImpl())).toBeUndefined();
  });
  test("the 4-argument form emits nothing for undefined (Spark's None) and gets the batch time", () => {
    const seen: number[] = [];
    const spec = StateSpec.function((time: Time, _k: string, v: number | undefined, _s: State<number>) => {
      seen.push(time.milliseconds);
      return v === 0 ? undefined : v;
    });
    expect(spec.mappingFunction(t, "a", 0, new StateImpl())).toBe(NONE);
    expect(spec.mappingFunction(t, "a", 5, new StateImpl())).toBe(5);
    expect(seen).toEqual([1000, 1000]);
  });
  test("functionWithTime for functions whose parameter count says nothing", () => {
    const wrapped = (...args: unknown[]) => (args[0] as Time).milliseconds;
    expect(
      StateSpec.functionWithTime<string, number, number, number>(wrapped as never).mappingFunction(
        t,
        "a",
        1,
        new StateImpl(),
      ),
    ).toBe(1000);
  });
  test("options", () => {
    const spec = StateSpec.function((_k: string, _v: number | undefined, _s: State<number>) => 0).numPartitions(3);
    expect(spec.getPartitioner()).toEqual(new HashPartitioner(3));
    expect(() => spec.timeout(undefined as never)).toThrow(IllegalArgumentException);
  });
});

describe("StateMap: versions over one Map per partition", () => {
  test("a copied version keeps its entries while the newer one changes", () => {
    const v1 = StateMap.empty<string, number>();
    v1.put("a", 1, 1000);
    v1.put("b", 1, 1000);
    const v2 = v1.copy();
    v2.put("a", 2, 2000);
    v2.remove("b");
    v2.put("c", 1, 2000);
    const v3 = v2.copy();
    v3.put("a", 3, 3000);
    v3.put("b", 9, 3000);
    const all = (m: StateMap<string, number>) => Object.fromEntries([...m.getAll()].map((e) => [e.key, e.state]));
    expect(all(v1)).toEqual({ a: 1, b: 1 });
    expect(all(v2)).toEqual({ a: 2, c: 1 });
    expect(all(v3)).toEqual({ a: 3, b: 9, c: 1 });
    expect([v1.get("b"), v2.get("b"), v3.get("b")]).toEqual([1, undefined, 9]);
    expect([v1.size, v2.size, v3.size]).toEqual([2, 2, 3]);
    expect(v1.getEntry("a")).toEqual({ key: "a", state: 1, updateTime: 1000 });
  });
  test("only the newest version is writable", () => {
    const v1 = StateMap.empty<string, number>();
    v1.copy();
    expect(v1.isWritable).toBe(false);
    expect(() => v1.put("a", 1, 0)).toThrow("read-only");
  });
  test("copying an old version forks a new map and leaves the others intact", () => {
    const v1 = StateMap.empty<string, number>();
    v1.put("a", 1, 0);
    const v2 = v1.copy();
    v2.put("a", 2, 1);
    const fork = v1.copy();
    fork.put("a", 10, 1);
    expect([v1.get("a"), v2.get("a"), fork.get("a")]).toEqual([1, 2, 10]);
  });
  test("structured keys are one key when equal", () => {
    const m = StateMap.empty<[string, number], number>();
    m.put(["x", 1], 1, 0);
    m.put(["x", 1], 2, 0);
    expect(m.size).toBe(1);
    expect(m.get(["x", 1])).toBe(2);
  });
  test("getByTime is strictly before the threshold", () => {
    const m = StateMap.empty<string, number>();
    m.put("old", 1, 100);
    m.put("edge", 1, 200);
    expect([...m.getByTime(200)].map((e) => e.key)).toEqual(["old"]);
  });
  test("a batch costs what it touches: the undo log holds only touched keys", () => {
    const v1 = StateMap.empty<number, number>();
    for (let i = 0; i < 10_000; i++) v1.put(i, i, 0);
    const v2 = v1.copy();
    for (let i = 0; i < 10; i++) v2.put(i, -i, 1);
    expect((v1 as unknown as { undo: Map<unknown, unknown> }).undo.size).toBe(10);
    expect(v1.get(5)).toBe(5);
    expect(v2.get(5)).toBe(-5);
  });
});

// Spark's MapWithStateRDDSuite ("updating state and generating mapped data in MapWithStateRDDRecord").
describe("MapWithStateRDDRecord.updateRecordWithData", () => {
  const initialTime = 1000;
  const updatedTime = 2000;
  function assertRecordUpdate(o: {
    initStates: number[];
    data: string[];
    expectedStates: [number, number][];
    timeoutThreshold?: number;
    removeTimedoutData?: boolean;
    expectedOutput?: number[];
    expectedTimingOutStates?: number[];
    expectedRemovedStates?: number[];
  }): boolean {
    const initial = StateMap.empty<string, number>();
    for (const s of o.initStates) initial.put("key", s, initialTime);
    let called = false;
    const removed: number[] = [];
    const timingOut: number[] = [];
    const fn = (t: Time, _key: string, data: string | undefined, state: State<number>): number | typeof NONE => {
      called = true;
      expect(t.milliseconds).toBe(updatedTime);
      switch (data) {
        case "noop":
          return NONE;
        case "get-state":
          return state.getOption() ?? -1;
        case "update-state":
          state.update(state.exists() ? state.get() + 1 : 0);
          return NONE;
        case "remove-state":
          removed.push(state.get());
          state.remove();
          return NONE;
        case undefined:
          expect(state.isTimingOut()).toBe(true);
          timingOut.push(state.get());
          return NONE;
        default:
          throw new Error("unexpected test data");
      }
    };
    const record = updateRecordWithData(
      new MapWithStateRDDRecord<string, number, number>(initial, []),
      o.data.map((v) => ["key", v] as [string, string]),
      fn,
      new Time(updatedTime),
      o.timeoutThreshold,
      o.removeTimedoutData ?? false,
    );
    expect([...record.stateMap.getAll()].map((e) => [e.state, e.updateTime])).toEqual(o.expectedStates);
    expect(record.mappedData).toEqual(o.expectedOutput ?? []);
    expect(timingOut).toEqual(o.expectedTimingOutStates ?? []);
    expect(removed).toEqual(o.expectedRemovedStates ?? []);
    return called;
  }

  test("no data: the function is not called and the state is kept", () => {
    expect(assertRecordUpdate({ initStates: [], data: [], expectedStates: [] })).toBe(false);
    expect(assertRecordUpdate({ initStates: [0], data: [], expectedStates: [[0, initialTime]] })).toBe(false);
  });
  test("data: the function is called whether or not state exists", () => {
    expect(assertRecordUpdate({ initStates: [0], data: ["noop"], expectedStates: [[0, initialTime]] })).toBe(true);
    expect(assertRecordUpdate({ initStates: [], data: ["noop"], expectedStates: [] })).toBe(true);
    assertRecordUpdate({ initStates: [], data: ["get-state"], expectedStates: [], expectedOutput: [-1] });
    assertRecordUpdate({
      initStates: [123],
      data: ["get-state"],
      expectedStates: [[123, initialTime]],
      expectedOutput: [123],
    });
  });
  test("updates set the time; removes drop the key", () => {
    assertRecordUpdate({ initStates: [], data: ["update-state"], expectedStates: [[0, updatedTime]] });
    assertRecordUpdate({ initStates: [0], data: ["update-state"], expectedStates: [[1, updatedTime]] });
    assertRecordUpdate({
      initStates: [0],
      data: ["update-state", "update-state", "get-state"],
      expectedStates: [[2, updatedTime]],
      expectedOutput: [2],
    });
    assertRecordUpdate({ initStates: [345], data: ["remove-state"], expectedStates: [], expectedRemovedStates: [345] });
  });
  test("timeouts: strictly older than the threshold, only with the full scan", () => {
    assertRecordUpdate({
      initStates: [123],
      data: [],
      timeoutThreshold: initialTime,
      removeTimedoutData: true,
      expectedStates: [[123, initialTime]],
    });
    assertRecordUpdate({
      initStates: [123],
      data: [],
      timeoutThreshold: initialTime + 1,
      removeTimedoutData: false,
      expectedStates: [[123, initialTime]],
    });
    assertRecordUpdate({
      initStates: [123],
      data: [],
      timeoutThreshold: initialTime + 1,
      removeTimedoutData: true,
      expectedStates: [],
      expectedTimingOutStates: [123],
    });
  });
  test("a key with data does not time out; with a timeout it is refreshed even if untouched", () => {
    assertRecordUpdate({
      initStates: [123],
      data: ["noop"],
      timeoutThreshold: initialTime + 1,
      removeTimedoutData: true,
      expectedStates: [[123, updatedTime]],
    });
    assertRecordUpdate({
      initStates: [123],
      data: ["remove-state"],
      timeoutThreshold: initialTime + 1,
      removeTimedoutData: true,
      expectedStates: [],
      expectedRemovedStates: [123],
    });
    // SPARK-13195: a key without state but with a timeout is ignored.
    assertRecordUpdate({
      initStates: [],
      data: ["noop"],
      timeoutThreshold: initialTime + 1,
      removeTimedoutData: true,
      expectedStates: [],
    });
  });
});

// Spark's MapWithStateRDDSuite ("states generated by MapWithStateRDD").
describe("MapWithStateRDD", () => {
  test("only keys in the data are touched; parent RDDs keep their states", () => {
    const sc = new SparkContext(2);
    const partitioner = new HashPartitioner(2);
    const initTime = 123;
    const updateTime = 345;
    const initRDD = MapWithStateRDD.createFromPairRDD<string, number, number>(
      sc.makeRDD<[string, number]>([
        ["k1", 0],
        ["k2", 0],
      ]),
      partitioner,
      new Time(initTime),
    );
    type R = ReturnType<typeof MapWithStateRDD.createFromPairRDD<string, number, number>>;
    const states = (rdd: R) =>
      rdd
        .flatMap((r) => [...r.stateMap.getAll()].map((e) => `${e.key}:${e.state}:${e.updateTime}`))
        .collect()
        .sort();
    const initStates = ["k1:0:123", "k2:0:123"];
    expect(states(initRDD)).toEqual(initStates);
    const touched: string[] = [];
    const fn = (_t: Time, key: string, data: number | undefined, state: State<number>): typeof NONE => {
      touched.push(key);
      if (data === 1) state.update(state.exists() ? state.get() + 1 : 0);
      else if (data === 2) state.remove();
      return NONE;
    };
    const step = (prev: R, data: [string, number][], expected: string[]): R => {
      touched.length = 0;
      const next = new MapWithStateRDD<string, number, number, number>(
        prev,
        sc.makeRDD(data).partitionBy(partitioner),
        fn,
        new Time(updateTime),
        undefined,
      );
      expect(states(next)).toEqual(expected.sort());
      expect(touched.sort()).toEqual(data.map((d) => d[0]).sort());
      expect(states(initRDD)).toEqual(initStates);
      return next;
    };
    step(initRDD, [], initStates);
    step(initRDD, [["k1", 0]], initStates);
    step(initRDD, [["k3", 0]], initStates);
    const rdd1 = step(initRDD, [["k3", 1]], ["k1:0:123", "k2:0:123", "k3:0:345"]);
    step(rdd1, [["k4", 1]], ["k1:0:123", "k2:0:123", "k3:0:345", "k4:0:345"]);
    const rdd3 = step(initRDD, [["k1", 1]], ["k1:1:345", "k2:0:123"]);
    const rdd4 = step(
      rdd3,
      [
        ["x", 0],
        ["k2", 1],
        ["k2", 1],
        ["k3", 1],
      ],
      ["k1:1:345", "k2:2:345", "k3:0:345"],
    );
    step(rdd4, [["k3", 1]], ["k1:1:345", "k2:2:345", "k3:1:345"]);
    const rdd6 = step(initRDD, [["k1", 2]], ["k2:0:123"]);
    const rdd7 = step(
      rdd6,
      [
        ["k2", 2],
        ["k0", 2],
        ["k3", 1],
      ],
      ["k3:0:345"],
    );
    step(rdd7, [["k3", 2]], []);
  });

  test("checkpointing cuts the lineage and keeps the state", () => {
    const sc = new SparkContext(2);
    const p = new HashPartitioner(2);
    const init = MapWithStateRDD.createFromPairRDD<number, number, number>(
      sc.makeRDD<[number, number]>([
        [1, 1],
        [2, 2],
      ]),
      p,
      new Time(0),
    );
    const next = new MapWithStateRDD<number, number, number, number>(
      init,
      sc.emptyRDD<[number, number]>().partitionBy(p),
      () => NONE,
      new Time(10),
      undefined,
    );
    next.checkpoint();
    next.doCheckpoint();
    expect(next.dependencies).toEqual([]);
    expect(
      next
        .flatMap((r) => [...r.stateMap.getAll()].map((e) => e.state))
        .collect()
        .sort(),
    ).toEqual([1, 2]);
  });
});

describe("mapWithState lets go of batches no stream reads again", () => {
  test("old state RDDs release their state and mapped values; recent ones and the results stay", async () => {
    const { ManualClock, Seconds, StreamingContext } = await import("../../../engine/index");
    const fs = await import("node:fs");
    const os = await import("node:os");
    const path = await import("node:path");
    const clock = new ManualClock(0);
    const ssc = new StreamingContext(Seconds(1), { clock });
    ssc.checkpoint(fs.mkdtempSync(path.join(os.tmpdir(), "mws-release-")));
    const batches = Array.from({ length: 8 }, (_, i) => ssc.sc.makeRDD([["a", i + 1] as [string, number], ["b", 1] as [string, number]]));
    const mapped = ssc.queueStream(batches, { oneAtATime: true }).mapWithState(
      StateSpec.function((_k: string, v: number | undefined, s: State<number>) => {
        const next = (s.getOption() ?? 0) + (v ?? 0);
        s.update(next);
        return next;
      }),
    );
    const sums: number[][] = [];
    mapped.foreachRDD((rdd) => void sums.push(rdd.collect().sort((x, y) => x - y)));
    ssc.start();
    for (let i = 0; i < 8; i++) {
      clock.advance(Seconds(1));
      await ssc.awaitBatchesDue();
    }
    const internal = mapped.internalStream;
    const recordAt = (ms: number) => (internal.generatedRDDs.get(ms)!.iterator(0)[0] as MapWithStateRDDRecord<string, number, number>);
    // Spark's bookkeeping keeps the RDDs (two checkpoint intervals) ...
    expect(internal.generatedRDDs.has(2000)).toBe(true);
    // ... but the old ones hold no data: reading them says why.
    expect(recordAt(2000).isReleased).toBe(true);
    expect(() => recordAt(2000).stateMap).toThrow(/released/);
    // The latest batch still holds its state and values.
    expect(recordAt(8000).isReleased).toBe(false);
    expect([...recordAt(8000).stateMap.getAll()].length).toBeGreaterThan(0);
    expect(sums.map((s) => s.at(-1))).toEqual([1, 3, 6, 10, 15, 21, 28, 36]);
    await ssc.stop();
  });
});
