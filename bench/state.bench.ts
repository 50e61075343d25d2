/**
 * Engine II figures: the cost of a batch of mapWithState against updateStateByKey as the state
 * grows (10 K vs 1 M keys, 1,000 keys touched per batch), checkpoint capture/write/read time and
 * size for 100 K keys, and recovery time (rebuild + restore + first batch) for 100 K keys, in
 * process and in a fresh child process (what a restart after a kill costs). ManualClock,
 * performance.now(); the source is a synthetic input stream whose batches depend only on their
 * time, so a rebuilt graph replays it.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { BenchModule } from "./index";
import {
  InputDStream,
  ManualClock,
  readLatestCheckpoint,
  Seconds,
  StateSpec,
  StreamingContext,
  type RDD,
  type Duration,
  type State,
  type StreamingEvent,
  type Time,
} from "../engine/index";

const TOUCHED = 1000;

/** Batch k touches TOUCHED distinct keys spread over [0, stateKeys), each with value 1. */
class SyntheticPairs extends InputDStream<[number, number]> {
  constructor(
    ssc: StreamingContext,
    private readonly stateKeys: number,
  ) {
    super(ssc);
  }
  compute(validTime: Time): RDD<[number, number]> {
    const k = (validTime.milliseconds - this.zeroTime!.milliseconds) / this.slideDuration.milliseconds;
    const step = Math.floor(this.stateKeys / TOUCHED);
    const recs = Array.from({ length: TOUCHED }, (_, i): [number, number] => [(i * step + k) % this.stateKeys, 1]);
    return this.ssc.sc.makeRDD(recs, 2);
  }
}

type Kind = "mapWithState" | "updateStateByKey";

/** The benchmark graph: running sums per key, state starting with `stateKeys` keys. */
function build(
  kind: Kind,
  stateKeys: number,
  clock: ManualClock,
  dir: string,
  onSnapshotCount?: (n: number) => void,
  interval?: Duration,
): StreamingContext {
  const ssc = new StreamingContext(Seconds(1), { clock, defaultParallelism: 2 });
  ssc.checkpoint(dir);
  const initial = ssc.sc.makeRDD(
    Array.from({ length: stateKeys }, (_, i): [number, number] => [i, 0]),
    2,
  );
  const pairs = new SyntheticPairs(ssc, stateKeys);
  if (kind === "mapWithState") {
    const mapped = pairs.mapWithState(
      StateSpec.function((_k: number, v: number | undefined, state: State<number>) => {
        const n = (state.getOption() ?? 0) + (v ?? 0);
        state.update(n);
        return n;
      }).initialState(initial),
    );
    if (interval !== undefined) mapped.checkpoint(interval);
    mapped.foreachRDD((r) => void r.count());
    if (onSnapshotCount) mapped.stateSnapshots().foreachRDD((r) => onSnapshotCount(r.count()));
  } else {
    const state = pairs.updateStateByKey(
      (vs: number[], s: number | undefined) => (s ?? 0) + vs.length,
      undefined,
      initial,
    );
    if (interval !== undefined) state.checkpoint(interval);
    state.foreachRDD((r) => void (onSnapshotCount ? onSnapshotCount(r.count()) : r.count()));
  }
  return ssc;
}

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "dstream-state-bench-"));
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

interface BatchTimes {
  readonly regular: number[];
  readonly checkpoint: number[];
}

/**
 * Runs warm-up then measured batches; batches on the 10 s checkpoint grid are reported apart.
 * With `interval`, the state streams are checkpointed that rarely instead of every 10 batches.
 */
async function timeBatches(
  kind: Kind,
  stateKeys: number,
  warmup: number,
  measured: number,
  interval?: Duration,
): Promise<BatchTimes> {
  const dir = tempDir();
  const clock = new ManualClock(0);
  const ssc = build(kind, stateKeys, clock, dir, undefined, interval);
  const regular: number[] = [];
  const checkpoint: number[] = [];
  ssc.start();
  try {
    for (let b = 1; b <= warmup + measured; b++) {
      const t0 = performance.now();
      clock.advance(Seconds(1));
      await ssc.awaitBatchesDue();
      const ms = performance.now() - t0;
      if (b > warmup) (b % 10 === 0 ? checkpoint : regular).push(ms);
    }
  } finally {
    await ssc.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return { regular, checkpoint };
}

async function scaling(): Promise<void> {
  // The batch's own cost: no checkpoint falls in these runs (interval 1000 s), after 10 warm-up
  // batches (the first one loads the initial state; the garbage it leaves is collected meanwhile).
  // Figures are medians of per-batch wall times.
  console.log(`| operation, ${TOUCHED} keys touched per batch | keys in state | ms/batch (median) | p90 |`);
  console.log(`|---|---:|---:|---:|`);
  const results: Record<string, number> = {};
  for (const kind of ["mapWithState", "updateStateByKey"] as const) {
    for (const keys of [10_000, 1_000_000]) {
      const slow = kind === "updateStateByKey" && keys > 100_000;
      // Sub-millisecond batches on a shared machine: the better of two runs of 40 batches.
      const runs = slow
        ? [await timeBatches(kind, keys, 2, 5, Seconds(1000))]
        : [await timeBatches(kind, keys, 10, 40, Seconds(1000)), await timeBatches(kind, keys, 10, 40, Seconds(1000))];
      const t = runs.reduce((a, b) => (median(a.regular) <= median(b.regular) ? a : b));
      const sorted = [...t.regular].sort((a, b) => a - b);
      results[`${kind}-${keys}`] = median(t.regular);
      console.log(
        `| ${kind} | ${keys.toLocaleString("en")} | ${median(t.regular).toFixed(2)} | ${sorted[Math.floor(sorted.length * 0.9)].toFixed(2)} |`,
      );
    }
  }
  const m = results["mapWithState-1000000"] / results["mapWithState-10000"];
  const u = results["updateStateByKey-1000000"] / results["updateStateByKey-10000"];
  console.log(`\nGrowth from 10 K to 1 M keys: mapWithState x${m.toFixed(2)}, updateStateByKey x${u.toFixed(0)}.`);
  console.log(
    `mapWithState's batch is ${(results["updateStateByKey-10000"] / results["mapWithState-10000"]).toFixed(1)}x faster than updateStateByKey's at 10 K keys, ` +
      `${(results["updateStateByKey-1000000"] / results["mapWithState-1000000"]).toFixed(0)}x at 1 M keys.`,
  );

  // With the default intervals (every 10 batches for both here), checkpoint batches cost the
  // whole state: the full scan for timeouts (mapWithState) and the state's capture and write.
  console.log(
    `\n| default checkpoint interval (10 batches) | keys in state | regular batch ms (median) | checkpoint batch ms (mean) | amortized ms/batch |`,
  );
  console.log(`|---|---:|---:|---:|---:|`);
  for (const kind of ["mapWithState", "updateStateByKey"] as const) {
    for (const keys of [10_000, 1_000_000]) {
      const slow = kind === "updateStateByKey" && keys > 100_000;
      const t = await timeBatches(kind, keys, slow ? 6 : 10, slow ? 5 : 20);
      const all = [...t.regular, ...t.checkpoint];
      console.log(
        `| ${kind} | ${keys.toLocaleString("en")} | ${median(t.regular).toFixed(2)} | ${mean(t.checkpoint).toFixed(1)} | ${mean(all).toFixed(2)} |`,
      );
    }
  }
}

/** Runs 10 batches so that one checkpoint (at 10 s) is written; returns its event and the directory. */
async function writeCheckpoint(
  kind: Kind,
  keys: number,
): Promise<{ dir: string; event: Extract<StreamingEvent, { type: "checkpointWritten" }> }> {
  const dir = tempDir();
  const clock = new ManualClock(0);
  const ssc = build(kind, keys, clock, dir);
  let event: Extract<StreamingEvent, { type: "checkpointWritten" }> | undefined;
  ssc.addStreamingListener((e) => {
    if (e.type === "checkpointWritten") event = e;
  });
  ssc.start();
  for (let b = 0; b < 10; b++) {
    clock.advance(Seconds(1));
    await ssc.awaitBatchesDue();
  }
  await ssc.stop();
  if (event === undefined) throw new Error("no checkpoint was written");
  return { dir, event };
}

async function checkpoints(): Promise<void> {
  const keys = 100_000;
  console.log(
    `\n| checkpoint of ${keys.toLocaleString("en")} keys | capture ms | write + fsync ms | file size | read + verify ms |`,
  );
  console.log(`|---|---:|---:|---:|---:|`);
  for (const kind of ["mapWithState", "updateStateByKey"] as const) {
    const { dir, event } = await writeCheckpoint(kind, keys);
    const reads: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      readLatestCheckpoint(dir);
      reads.push(performance.now() - t0);
    }
    console.log(
      `| ${kind} | ${event.captureMs.toFixed(1)} | ${event.writeMs.toFixed(1)} | ${(event.bytes / 2 ** 20).toFixed(2)} MiB | ${median(reads).toFixed(1)} |`,
    );
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Recovers `dir` and runs the first batch after the checkpoint; returns the keys in its state. */
async function recoverAndRunFirstBatch(dir: string, keys: number): Promise<number> {
  const read = readLatestCheckpoint(dir)!;
  const clock = new ManualClock(read.checkpoint.checkpointTimeMs + 1000);
  let count = -1;
  const ssc = StreamingContext.getOrCreate(dir, () => build("mapWithState", keys, clock, dir, (n) => (count = n)));
  ssc.start(); // re-runs the batch after the checkpoint at once
  await ssc.awaitBatchesDue();
  await ssc.stop();
  return count;
}

async function recovery(): Promise<void> {
  const keys = 100_000;
  const { dir } = await writeCheckpoint("mapWithState", keys);
  const inProcess: number[] = [];
  let count = 0;
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    count = await recoverAndRunFirstBatch(dir, keys);
    inProcess.push(performance.now() - t0);
  }
  // A restart after a kill: a new process (Node + tsx compiling the engine), then the same.
  const loader = pathToFileURL(path.join(import.meta.dirname, "..", "node_modules", "tsx", "dist", "loader.mjs")).href;
  const spawned = performance.now();
  const child = await new Promise<{ count: number; sinceProcessStartMs: number }>((resolve, reject) => {
    const p = spawn(process.execPath, ["--import", loader, import.meta.filename], {
      env: { ...process.env, STATE_BENCH_RECOVER_DIR: dir },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    p.stdout.on("data", (d: Buffer) => (out += d.toString()));
    p.on("exit", (code) =>
      code === 0
        ? resolve(JSON.parse(out.trim().split("\n").pop()!))
        : reject(new Error(`recovery child exited with ${code}`)),
    );
  });
  const total = performance.now() - spawned;
  fs.rmSync(dir, { recursive: true, force: true });
  console.log(`\n| recovery with ${keys.toLocaleString("en")} keys in state | ms |`);
  console.log(`|---|---:|`);
  console.log(
    `| in process: read + verify + rebuild + restore + first batch (median of 3) | ${median(inProcess).toFixed(0)} |`,
  );
  console.log(`| new process: spawn to first batch done (Node start, tsx, the same steps) | ${total.toFixed(0)} |`);
  console.log(`| of which after the child's process start | ${child.sinceProcessStartMs.toFixed(0)} |`);
  console.log(
    `\nThe first batch after recovery saw ${count.toLocaleString("en")} keys in state (child: ${child.count.toLocaleString("en")}).`,
  );
}

// The child of `recovery()`: recover, run the first batch, report, exit.
if (process.env.STATE_BENCH_RECOVER_DIR !== undefined) {
  const count = await recoverAndRunFirstBatch(process.env.STATE_BENCH_RECOVER_DIR, 100_000);
  process.stdout.write(JSON.stringify({ count, sinceProcessStartMs: performance.now() }) + "\n");
  process.exit(0);
}

const bench: BenchModule = {
  title: "Engine II microbenchmarks: state and checkpoints on synthetic running sums",
  async run() {
    await scaling();
    await checkpoints();
    await recovery();
  },
};
export default bench;
