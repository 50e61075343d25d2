import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import {
  CheckpointMismatchException,
  CheckpointReadException,
  CorruptCheckpointException,
  ManualClock,
  Milliseconds,
  readCheckpointFile,
  readLatestCheckpoint,
  Seconds,
  StateSpec,
  StreamingContext,
  type DStream,
  type State,
  type StreamingEvent,
} from "../../../engine/index";
import { encodeCheckpoint, HEADER_BYTES } from "../../../engine/checkpoint/serializer";
import { pruneCheckpoints, writeFileAtomic } from "../../../engine/checkpoint/CheckpointWriter";
import { collectOutput, TestInputStream } from "../../conformance/harness";

const dirs: string[] = [];
function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), "dstream-checkpoint-unit-"));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** A counting pipeline over TestInputStream: running counts per key by updateStateByKey. */
function countingContext(dir: string | undefined, clock: ManualClock, input: string[][], interval = Seconds(2)) {
  const ssc = new StreamingContext(Seconds(1), { clock, defaultParallelism: 2 });
  if (dir !== undefined) ssc.checkpoint(dir);
  const counts = new TestInputStream(ssc, input, 2)
    .map((x) => [x, 1] as [string, number])
    .updateStateByKey((vs: number[], s: number | undefined) => vs.length + (s ?? 0))
    .checkpoint(interval);
  const output = collectOutput(counts);
  const events: StreamingEvent[] = [];
  ssc.addStreamingListener((e) => events.push(e));
  return { ssc, output, events, counts };
}

async function advance(ssc: StreamingContext, clock: ManualClock, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    clock.advance(Seconds(1));
    await ssc.awaitBatchesDue();
  }
}

const input = Array.from({ length: 10 }, () => ["a", "b", "a"]);
const flat = (o: [string, number][][][]) => o.map((b) => Object.fromEntries(b.flat()));

describe("checkpoint file format", () => {
  const file = "/x/checkpoint-1000";
  test("round trip", () => {
    const bytes = encodeCheckpoint({ a: [1, 2], m: new Map([["k", 1]]) });
    expect(bytes.subarray(0, 8).toString("latin1")).toBe("DSCHKPT\n");
  });
  test("a truncated file names the file and says so", () => {
    const bytes = encodeCheckpoint({ a: "x".repeat(100) });
    const dir = tempDir();
    const f = path.join(dir, "checkpoint-1000");
    fs.writeFileSync(f, bytes.subarray(0, bytes.length - 10));
    expect(() => readCheckpointFile(f)).toThrow(CorruptCheckpointException);
    expect(() => readCheckpointFile(f)).toThrow(`Checkpoint file ${f} cannot be read: truncated: the header announces`);
    fs.writeFileSync(f, bytes.subarray(0, 10));
    expect(() => readCheckpointFile(f)).toThrow(`truncated: 10 bytes, shorter than the ${HEADER_BYTES}-byte header`);
  });
  test("damaged data, a foreign file and a newer format version are refused", () => {
    const dir = tempDir();
    const f = path.join(dir, "checkpoint-1000");
    const bytes = encodeCheckpoint({ a: "x".repeat(100) });
    bytes[bytes.length - 5] ^= 0xff;
    fs.writeFileSync(f, bytes);
    expect(() => readCheckpointFile(f)).toThrow("checksum mismatch");
    fs.writeFileSync(f, Buffer.from("hello, this is not a checkpoint file at all"));
    expect(() => readCheckpointFile(f)).toThrow("not a checkpoint file");
    const newer = encodeCheckpoint({});
    newer.writeUInt32LE(99, 8);
    fs.writeFileSync(f, newer);
    expect(() => readCheckpointFile(f)).toThrow("format version 99");
    expect(file).toContain("checkpoint-");
  });
});

describe("atomic writes and pruning", () => {
  test("a torn write (crash before the rename) leaves only a temp file, which readers ignore", async () => {
    const dir = tempDir();
    const clock = new ManualClock(0);
    const { ssc } = countingContext(dir, clock, input);
    ssc.start();
    await advance(ssc, clock, 2);
    await ssc.stop();
    // A writer killed mid-write: the temp file holds half a checkpoint, the rename never happened.
    const good = readLatestCheckpoint(dir)!;
    const bytes = fs.readFileSync(good.file);
    fs.writeFileSync(path.join(dir, ".checkpoint-4000.123.abc.tmp"), bytes.subarray(0, bytes.length / 2));
    const read = readLatestCheckpoint(dir)!;
    expect(read.file).toBe(good.file);
    expect(read.checkpoint.checkpointTimeMs).toBe(2000);
    // The next write removes the leftover.
    await pruneCheckpoints(dir, 2);
    expect(fs.readdirSync(dir).filter((n) => n.endsWith(".tmp"))).toEqual([]);
  });

  test("writeFileAtomic replaces the target in one step", async () => {
    const dir = tempDir();
    await writeFileAtomic(dir, "checkpoint-1", Buffer.from("one"));
    await writeFileAtomic(dir, "checkpoint-1", Buffer.from("two"));
    expect(fs.readFileSync(path.join(dir, "checkpoint-1"), "utf8")).toBe("two");
    expect(fs.readdirSync(dir)).toEqual(["checkpoint-1"]);
  });

  test("old checkpoints are pruned: the newest and the previous one stay", async () => {
    const dir = tempDir();
    const clock = new ManualClock(0);
    const { ssc, events } = countingContext(dir, clock, input);
    ssc.start();
    await advance(ssc, clock, 8);
    await ssc.stop();
    expect(fs.readdirSync(dir).sort()).toEqual(["checkpoint-6000", "checkpoint-8000"]);
    // Written on the stream's checkpoint interval (2 s) only.
    expect(
      events.filter((e) => e.type === "checkpointWritten").map((e) => (e as { batchTimeMs: number }).batchTimeMs),
    ).toEqual([2000, 4000, 6000, 8000]);
  });

  test("without stateful streams a checkpoint is written every batch (Spark's metadata checkpoints)", async () => {
    const dir = tempDir();
    const clock = new ManualClock(0);
    const ssc = new StreamingContext(Seconds(1), { clock, checkpointRetention: 5 });
    ssc.checkpoint(dir);
    new TestInputStream(ssc, input, 2).foreachRDD(() => {});
    ssc.start();
    await advance(ssc, clock, 3);
    await ssc.stop();
    expect(fs.readdirSync(dir).sort()).toEqual(["checkpoint-1000", "checkpoint-2000", "checkpoint-3000"]);
    expect(readLatestCheckpoint(dir)!.checkpoint.streams).toEqual({});
  });
});

describe("corrupt checkpoints on recovery", () => {
  async function twoCheckpoints(): Promise<string> {
    const dir = tempDir();
    const clock = new ManualClock(0);
    const { ssc } = countingContext(dir, clock, input);
    ssc.start();
    await advance(ssc, clock, 4);
    await ssc.stop();
    return dir;
  }

  test("a truncated newest file: recovery falls back to the previous one and warns", async () => {
    const dir = await twoCheckpoints();
    const newest = path.join(dir, "checkpoint-4000");
    fs.truncateSync(newest, 100);
    const clock = new ManualClock(4000);
    let ctx!: ReturnType<typeof countingContext>;
    const ssc = StreamingContext.getOrCreate(dir, () => (ctx = countingContext(undefined, clock, input)).ssc);
    expect(ssc.restoredFrom?.file).toBe(path.join(dir, "checkpoint-2000"));
    ssc.start();
    await ssc.awaitBatchesDue();
    await ssc.stop();
    const warning = ctx.events.find((e) => e.type === "warning");
    expect(warning).toMatchObject({ code: "checkpoint-unreadable" });
    expect((warning as { message: string }).message).toContain(newest);
    // Batches 3 and 4 were run again from the checkpoint of batch 2: the same counts as before.
    expect(flat(ctx.output)).toEqual([
      { a: 6, b: 3 },
      { a: 8, b: 4 },
    ]);
  });

  test("every file unreadable: a clear error naming the files, or creation with createOnError", async () => {
    const dir = await twoCheckpoints();
    for (const n of fs.readdirSync(dir)) fs.writeFileSync(path.join(dir, n), "garbage");
    const create = () => countingContext(dir, new ManualClock(0), input).ssc;
    expect(() => StreamingContext.getOrCreate(dir, create)).toThrow(CheckpointReadException);
    expect(() => StreamingContext.getOrCreate(dir, create)).toThrow(
      `Failed to read checkpoint from directory ${dir}: Checkpoint file ${path.join(dir, "checkpoint-4000")} cannot be read`,
    );
    const events: StreamingEvent[] = [];
    const ssc = StreamingContext.getOrCreate(dir, create, { createOnError: true });
    ssc.addStreamingListener((e) => events.push(e));
    expect(ssc.restoredFrom).toBeUndefined();
    ssc.start();
    await ssc.stop();
    expect(events.find((e) => e.type === "warning")).toMatchObject({ code: "checkpoint-unreadable" });
  });
});

describe("getOrCreate", () => {
  test("no checkpoint and no checkpoint directory: creates, with a warning event at start", async () => {
    const dir = tempDir();
    const events: StreamingEvent[] = [];
    const ssc = StreamingContext.getOrCreate(dir, () => countingContext(undefined, new ManualClock(0), input).ssc);
    ssc.addStreamingListener((e) => events.push(e));
    expect(() => ssc.start()).toThrow("The checkpoint directory has not been set");
    const plain = StreamingContext.getOrCreate(dir, () => {
      const s = new StreamingContext(Seconds(1), { clock: new ManualClock(0) });
      new TestInputStream(s, input, 2).foreachRDD(() => {});
      return s;
    });
    plain.addStreamingListener((e) => events.push(e));
    plain.start();
    await plain.stop();
    expect(events.filter((e) => e.type === "warning")).toMatchObject([{ code: "no-checkpoint-directory" }]);
  });

  test("recovery restores state, re-runs the batches after the checkpoint and keeps the definition", async () => {
    const dir = tempDir();
    const clock1 = new ManualClock(0);
    const first = countingContext(dir, clock1, input);
    first.ssc.setDefinition({ nodes: ["source", "count"] });
    first.ssc.start();
    await advance(first.ssc, clock1, 5); // checkpoints at 2 s and 4 s; batch 5 is lost with the "crash"
    await first.ssc.stop();
    const clock2 = new ManualClock(5500);
    let second!: ReturnType<typeof countingContext>;
    let seen: unknown;
    const ssc = StreamingContext.getOrCreate(dir, (recovered) => {
      seen = recovered?.definition;
      return (second = countingContext(undefined, clock2, input)).ssc;
    });
    expect(seen).toEqual({ nodes: ["source", "count"] });
    expect(ssc.definition).toEqual({ nodes: ["source", "count"] });
    expect(ssc.checkpointDir).toBe(dir);
    ssc.start();
    await ssc.awaitBatchesDue();
    await advance(ssc, clock2, 1);
    await ssc.stop();
    // Batch 5 (after the 4 s checkpoint) ran again on restart (its output repeats), then batch 6.
    expect(flat(second.output)).toEqual([
      { a: 10, b: 5 },
      { a: 12, b: 6 },
    ]);
    expect(second.events.find((e) => e.type === "checkpointRestored")).toMatchObject({
      checkpointTimeMs: 4000,
      zeroTimeMs: 0,
    });
  });

  test("a rebuilt graph that does not match: an error naming the file and the stream", async () => {
    const dir = tempDir();
    const clock = new ManualClock(0);
    const { ssc } = countingContext(dir, clock, input);
    ssc.start();
    await advance(ssc, clock, 2);
    await ssc.stop();
    const other = () => {
      const s = new StreamingContext(Seconds(1), { clock: new ManualClock(2000) });
      new TestInputStream(s, input, 2).foreachRDD(() => {});
      return s;
    };
    expect(() => StreamingContext.getOrCreate(dir, other)).toThrow(CheckpointMismatchException);
    expect(() => StreamingContext.getOrCreate(dir, other)).toThrow(
      `Cannot recover from checkpoint file ${path.join(dir, "checkpoint-2000")}: it holds state for stream "stream-2" (StateDStream)`,
    );
    const otherBatch = () => countingContext(undefined, new ManualClock(2000), input).ssc;
    const slow = () => {
      const s = new StreamingContext(Seconds(2), { clock: new ManualClock(2000) });
      new TestInputStream(s, input, 2).foreachRDD(() => {});
      return s;
    };
    expect(() => StreamingContext.getOrCreate(dir, slow)).toThrow(
      "batch duration of 1000 ms; the rebuilt context has 2000 ms",
    );
    expect(StreamingContext.getOrCreate(dir, other, { createOnError: true }).restoredFrom).toBeUndefined();
    expect(StreamingContext.getOrCreate(dir, otherBatch).restoredFrom).toBeDefined();
  });

  test("queueStream cannot be recovered (Spark's message)", async () => {
    const dir = tempDir();
    const build = (clock: ManualClock) => {
      const s = new StreamingContext(Seconds(1), { clock });
      s.checkpoint(dir);
      s.queueStream([s.sc.makeRDD([1])]).foreachRDD(() => {});
      return s;
    };
    const clock = new ManualClock(0);
    const ssc = build(clock);
    ssc.start();
    await advance(ssc, clock, 1);
    await ssc.stop();
    expect(() => StreamingContext.getOrCreate(dir, () => build(new ManualClock(1000)))).toThrow(
      "queueStream doesn't support checkpointing. Please don't use queueStream when checkpointing is enabled.",
    );
  });

  test("getActiveOrCreate prefers the active context, then the checkpoint, then creation", async () => {
    const dir = tempDir();
    const clock = new ManualClock(0);
    const { ssc } = countingContext(dir, clock, input);
    ssc.start();
    expect(StreamingContext.getActiveOrCreate(dir, () => countingContext(undefined, clock, input).ssc)).toBe(ssc);
    await advance(ssc, clock, 2);
    await ssc.stop();
    const recovered = StreamingContext.getActiveOrCreate(
      dir,
      () => countingContext(undefined, new ManualClock(2000), input).ssc,
    );
    expect(recovered.restoredFrom?.checkpointTimeMs).toBe(2000);
  });

  test("the checkpoint holds each batch's own state even when the next batch changes state objects in place", async () => {
    const dir = tempDir();
    const clock = new ManualClock(0);
    const ssc = new StreamingContext(Seconds(1), { clock });
    ssc.checkpoint(dir);
    new TestInputStream(ssc, input, 2)
      .map((x) => [x, 1] as [string, number])
      .updateStateByKey((vs: number[], s: { n: number } | undefined) => {
        const obj = s ?? { n: 0 };
        obj.n += vs.length; // mutates the previous batch's state object
        return obj;
      })
      .checkpoint(Seconds(2))
      .foreachRDD(() => {});
    ssc.start();
    clock.advance(Seconds(3)); // batches 1, 2, 3 due at once: batch 3 runs before batch 2's checkpoint is written
    await ssc.awaitBatchesDue();
    await ssc.stop();
    const cp = readLatestCheckpoint(dir)!.checkpoint;
    expect(cp.checkpointTimeMs).toBe(2000);
    const state = (cp.streams["stream-2"].rdds[0].data as [string, { n: number }][][]).flat();
    expect(Object.fromEntries(state.map(([k, v]) => [k, v.n]))).toEqual({ a: 4, b: 2 });
  });
});

describe("validateAtStart and default checkpoint intervals", () => {
  const pairs = (ssc: StreamingContext) => new TestInputStream(ssc, input, 2).map((x) => [x, 1] as [string, number]);
  test("stateful streams without a checkpoint directory name the stream", () => {
    const cases: [string, (p: DStream<[string, number]>) => { foreachRDD(f: () => void): unknown }][] = [
      ["StateDStream", (p) => p.updateStateByKey((vs: number[], s: number | undefined) => (s ?? 0) + vs.length)],
      [
        "InternalMapWithStateDStream",
        (p) => p.mapWithState(StateSpec.function((_k: string, _v: number | undefined, _s: State<number>) => 0)),
      ],
      [
        "ReducedWindowedDStream",
        (p) =>
          p.reduceByKeyAndWindow(
            (a, b) => a + b,
            (a, b) => a - b,
            Seconds(4),
            Seconds(2),
          ),
      ],
    ];
    for (const [cls, op] of cases) {
      const ssc = new StreamingContext(Seconds(1), { clock: new ManualClock(0) });
      op(pairs(ssc)).foreachRDD(() => {});
      expect(() => ssc.start()).toThrow(
        new RegExp(
          `^requirement failed: The checkpoint directory has not been set\\. Please set it by StreamingContext\\.checkpoint\\(\\)\\. \\[stream: ${cls} \\[stream-\\d+\\]\\]$`,
        ),
      );
    }
  });
  test("interval not a multiple of the slide (Spark's text)", () => {
    const ssc = new StreamingContext(Seconds(1), { clock: new ManualClock(0) });
    ssc.checkpoint(tempDir());
    pairs(ssc)
      .updateStateByKey((vs: number[], s: number | undefined) => (s ?? 0) + vs.length)
      .checkpoint(Milliseconds(1500))
      .foreachRDD(() => {});
    expect(() => ssc.start()).toThrow(
      "requirement failed: The checkpoint interval for StateDStream has been set to  1500 ms which not a multiple of its slide time (1000 ms). Please set it to a multiple of 1000 ms.",
    );
  });
  test("defaults: smallest multiple of the slide >= 10 s; mapWithState 10 x the batch", async () => {
    for (const [batch, expected] of [
      [Seconds(1), Seconds(10)],
      [Seconds(3), Seconds(12)],
      [Seconds(15), Seconds(15)],
    ] as const) {
      const ssc = new StreamingContext(batch, { clock: new ManualClock(0) });
      ssc.checkpoint(tempDir());
      const state = pairs(ssc).updateStateByKey((vs: number[], s: number | undefined) => (s ?? 0) + vs.length);
      const mapped = pairs(ssc).mapWithState(
        StateSpec.function((_k: string, _v: number | undefined, _s: State<number>) => 0),
      );
      state.foreachRDD(() => {});
      mapped.foreachRDD(() => {});
      ssc.start();
      expect(state.checkpointDuration).toEqual(expected);
      expect(state.rememberDuration).toEqual(expected.times(2));
      expect(mapped.internalStream.checkpointDuration).toEqual(batch.times(10));
      await ssc.stop();
    }
  });
});

describe("CheckpointSuite ideas", () => {
  test("recovery with invertible reduceByKeyAndWindow: the window data comes back too", async () => {
    const data = Array.from({ length: 12 }, (_, i) => (i % 3 === 0 ? ["a", "b"] : ["a"]));
    const build = (clock: ManualClock, dir: string) => {
      const ssc = new StreamingContext(Seconds(1), { clock, defaultParallelism: 2 });
      ssc.checkpoint(dir);
      const w = new TestInputStream(ssc, data, 2)
        .map((x) => [x, 1] as [string, number])
        .reduceByKeyAndWindow(
          (a, b) => a + b,
          (a, b) => a - b,
          Seconds(4),
          Seconds(2),
          undefined,
          (kv) => kv[1] > 0,
        )
        .checkpoint(Seconds(2));
      return { ssc, output: collectOutput(w) };
    };
    // Reference: 12 batches without a crash.
    const refDir = tempDir();
    const refClock = new ManualClock(0);
    const ref = build(refClock, refDir);
    ref.ssc.start();
    await advance(ref.ssc, refClock, 12);
    await ref.ssc.stop();
    // Crash after 6 batches (checkpoint at 6 s), recover, run to 12.
    const dir = tempDir();
    const clock1 = new ManualClock(0);
    const first = build(clock1, dir);
    first.ssc.start();
    await advance(first.ssc, clock1, 6);
    await first.ssc.stop();
    const clock2 = new ManualClock(6000);
    let second!: ReturnType<typeof build>;
    const ssc = StreamingContext.getOrCreate(dir, () => (second = build(clock2, dir)).ssc);
    ssc.start();
    await advance(ssc, clock2, 6);
    await ssc.stop();
    const norm = (o: [string, number][][][]) => o.map((b) => Object.fromEntries(b.flat()));
    expect(norm(second.output)).toEqual(norm(ref.output).slice(3));
  });
});
