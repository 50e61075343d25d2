/**
 * Crash recovery, for real: a stateful pipeline runs in a child process on the system clock, is
 * killed with SIGKILL mid-stream, and is restarted with StreamingContext.getOrCreate on the same
 * checkpoint directory. The final per-key state must equal the analytic result and a run that
 * never crashed: nothing lost, nothing counted twice in state.
 *
 * Outputs are at-least-once: the restarted child re-runs every batch after the checkpoint it
 * recovered from (and replays the transactions those batches had consumed), so outputs of those
 * batches may be produced twice. State is exactly-once because the checkpoint holds the state and
 * the source position of the same batch. Assertions are on state only, never on elapsed time.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { pathToFileURL } from "node:url";
import { afterEach, describe, expect, test } from "vitest";
import { readLatestCheckpoint } from "../../engine/index";
import { deterministicTransaction, DETERMINISTIC_TRANSACTION_COUNT } from "../../engine/sources/transactionLog";

const root = path.resolve(import.meta.dirname, "../..");
// tsx as a loader in the child itself (not the tsx CLI, which runs the script in a grandchild
// that a SIGKILL of the CLI would leave running).
const tsxLoader = pathToFileURL(path.join(root, "node_modules", "tsx", "dist", "loader.mjs")).href;
const script = path.join(import.meta.dirname, "fixtures", "recovery-child.ts");
const BATCH_MS = "100";
const TIME_SCALE = "60"; // the 101 transactions take about 4.3 s

type Line = Record<string, unknown>;
interface Agg {
  cents: number;
  count: number;
}

/** Per account: total cents and number of transactions of the deterministic log. */
function expectedState(): Record<string, Agg> {
  const out: Record<string, Agg> = {};
  for (let step = 0; step < DETERMINISTIC_TRANSACTION_COUNT; step++) {
    const t = deterministicTransaction(step);
    const a = (out[t.accountNumber] ??= { cents: 0, count: 0 });
    a.cents += Math.round(t.amount * 100);
    a.count += 1;
  }
  return out;
}

const children: ChildProcess[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

interface Run {
  readonly lines: Line[];
  /** Resolves with the first line matching, or rejects when the child exits first. */
  waitFor(pred: (l: Line) => boolean): Promise<Line>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
  kill(): void;
}

function startChild(dir: string): Run {
  const child = spawn(process.execPath, ["--import", tsxLoader, script, dir, BATCH_MS, TIME_SCALE], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  const lines: Line[] = [];
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  const waiters: { pred: (l: Line) => boolean; resolve: (l: Line) => void; reject: (e: Error) => void }[] = [];
  readline.createInterface({ input: child.stdout! }).on("line", (text) => {
    let line: Line;
    try {
      line = JSON.parse(text) as Line;
    } catch {
      return;
    }
    lines.push(line);
    for (const w of [...waiters]) {
      if (w.pred(line)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
    child.on("exit", (code, signal) => {
      for (const w of waiters.splice(0))
        w.reject(
          new Error(`child exited (code ${code}, signal ${signal}) before the awaited line; stderr:\n${stderr}`),
        );
      resolve({ code, signal, stderr });
    }),
  );
  return {
    lines,
    exited,
    kill: () => child.kill("SIGKILL"),
    waitFor: (pred) => {
      const found = lines.find(pred);
      if (found !== undefined) return Promise.resolve(found);
      if (child.exitCode !== null || child.signalCode !== null)
        return Promise.reject(new Error(`child already exited; stderr:\n${stderr}`));
      return new Promise((resolve, reject) => waiters.push({ pred, resolve, reject }));
    },
  };
}

const isDone = (l: Line) => l.done === true;
const committedAtLeast = (n: number) => (l: Line) => typeof l.committed === "number" && l.committed >= n;

/** Kills the child with SIGKILL once `n` transactions were consumed and a checkpoint exists after that point. */
async function killAfter(run: Run, n: number): Promise<number> {
  const reached = await run.waitFor(committedAtLeast(n));
  await run.waitFor(
    (l) => typeof l.checkpoint === "string" && (l.batchTimeMs as number) >= (reached.batchTimeMs as number),
  );
  run.kill();
  const { signal } = await run.exited;
  expect(signal).toBe("SIGKILL");
  const committed = run.lines.filter((l) => typeof l.committed === "number").map((l) => l.committed as number);
  return committed[committed.length - 1];
}

function newDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), "dstream-recovery-"));
  dirs.push(d);
  return d;
}

/** What the newest checkpoint says: its batch time and the transactions its batches consumed. */
function checkpointPosition(dir: string): { timeMs: number; next: number } {
  const read = readLatestCheckpoint(dir)!;
  const sources = Object.values(read.checkpoint.sources) as { next: number }[];
  return { timeMs: read.checkpoint.checkpointTimeMs, next: sources[0].next };
}

describe("crash recovery (child process, SIGKILL, getOrCreate)", () => {
  test("a run that never crashes ends with the analytic state", async () => {
    const run = startChild(newDir());
    const done = await run.waitFor(isDone);
    expect(done.totals).toEqual(expectedState());
    expect(done.running).toEqual(expectedState());
    expect((await run.exited).code).toBe(0);
  });

  test("killed mid-stream and restarted: the final state equals the run that never crashed", async () => {
    const reference = startChild(newDir());
    const referenceDone = await reference.waitFor(isDone);

    const dir = newDir();
    const first = startChild(dir);
    const lastCommitted = await killAfter(first, 40);
    expect(lastCommitted).toBeLessThan(DETERMINISTIC_TRANSACTION_COUNT);
    // The checkpoint is a consistent cut: its position is at most what the killed child had consumed.
    const cp = checkpointPosition(dir);
    expect(cp.next).toBeGreaterThan(0);
    expect(cp.next).toBeLessThanOrEqual(lastCommitted);

    const second = startChild(dir);
    const restored = await second.waitFor((l) => typeof l.restored === "string");
    expect(restored.checkpointTimeMs).toBe(cp.timeMs);
    const done = await second.waitFor(isDone);
    // Batches after the checkpoint ran again (their outputs may repeat: at-least-once), but state
    // counts every transaction exactly once.
    const rerun = second.lines.filter((l) => typeof l.committed === "number");
    expect(rerun[0].batchTimeMs as number).toBeGreaterThan(cp.timeMs);
    expect(done.totals).toEqual(referenceDone.totals);
    expect(done.running).toEqual(referenceDone.running);
    expect(done.totals).toEqual(expectedState());
    expect((await second.exited).code).toBe(0);
  });

  test("killed twice, restarted twice: the final state is still exact", async () => {
    const dir = newDir();
    const first = startChild(dir);
    await killAfter(first, 25);
    const second = startChild(dir);
    await second.waitFor((l) => typeof l.restored === "string");
    await killAfter(second, 70);
    const third = startChild(dir);
    await third.waitFor((l) => typeof l.restored === "string");
    const done = await third.waitFor(isDone);
    expect(done.totals).toEqual(expectedState());
    expect(done.running).toEqual(expectedState());
    expect((await third.exited).code).toBe(0);
  });
});
