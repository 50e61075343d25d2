// Driver failure on Spark: the runner's driver is killed with SIGKILL in the middle of a run (the
// next batch already started) and started again on the same checkpoint directory. Spark's
// getOrCreate recovers the graph, replays the batches the checkpoint had not seen done, and the
// run ends with the same state as a run that was never interrupted.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildRunner } from "@/scripts/spark/build.mjs";
import { readLines, runnerDocument, runOnSpark, type SparkLine } from "@/server/spark/runner";
import { doc, type N } from "../unit/pipeline/harness";
import { asMultisets, sparkRun } from "./helpers/sparkCompare";

const capture = (id: string): N => [id, "deadLetters"];
const BATCHES = 9;

const document = doc(
  [["words", "queue", { batches: [["a b a", "c"], ["b b"], [], ["a c c a"], ["d"], ["a"], ["b c"], [], ["a a d"]], oneAtATime: true }],
    ["split", "flatMap", { fn: "(line) => String(line).split(' ')" }], ["pairs", "mapToPair", { fn: "(w) => [w, 1]" }],
    ["running", "updateStateByKey", { fn: "(values, state) => (state ?? 0) + values.length" }],
    ["seen", "mapWithState", { fn: "(key, value, state) => { const n = (state.exists() ? state.get() : 0) + 1; state.update(n); return [key, n]; }" }],
    ["windowed", "reduceByKeyAndWindow", { fn: "(a, b) => a + b", inverseFn: "(a, b) => a - b", windowMs: 3000, slideMs: 1000 }],
    ["risky", "map", { fn: "(w) => { if (w === 'd') throw new Error('no d'); return w; }" }],
    capture("cRunning"), capture("cSnapshots"), capture("cWindowed"), capture("cRisky")],
  [["words", "split"], ["split", "pairs"], ["pairs", "running"], ["pairs", "seen"], ["pairs", "windowed"], ["split", "risky"],
    ["running", "cRunning"], ["seen", "cSnapshots", "snapshots"], ["windowed", "cWindowed"], ["risky", "cRisky"]],
  { checkpointing: { enabled: true, intervalMs: 2000 } },
);

const batchTimes = (lines: readonly SparkLine[]) =>
  lines.filter((l) => l.type === "batchCompleted").map((l) => (l as { batchTimeMs: number }).batchTimeMs);

describe("Spark driver killed mid-run, restarted on its checkpoint directory", () => {
  const dirs: string[] = [];
  const checkpointDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "spark-recovery-"));
    dirs.push(dir);
    return path.join(dir, "checkpoint");
  };
  beforeAll(() => {
    buildRunner({ quiet: true });
  }, 900_000);
  afterAll(() => {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it("ends with the same state and outputs as an uninterrupted run", async () => {
    const runnerDoc = runnerDocument(document);
    const whole = await runOnSpark({ document, batches: BATCHES, checkpointDir: checkpointDir() });
    const uninterrupted = sparkRun(runnerDoc, whole.lines, whole.log, whole.exitCode);

    // The first driver: batches 1-4 done, batch 5 started, then SIGKILL (no shutdown hook runs).
    const dir = checkpointDir();
    let killed = false;
    const first = await runOnSpark({
      document,
      batches: BATCHES,
      checkpointDir: dir,
      holdAfter: 4,
      onStart: (pid, outFile) => {
        const poll = setInterval(() => {
          if (readLines(outFile).some((l) => l.type === "holding")) {
            clearInterval(poll);
            killed = true;
            process.kill(pid, "SIGKILL");
          }
        }, 50);
      },
    });
    expect(killed).toBe(true);
    expect(first.exitCode).toBeNull(); // killed by a signal, not exited
    expect(batchTimes(first.lines).slice(0, 4)).toEqual([1000, 2000, 3000, 4000]);
    expect(first.lines.some((l) => l.type === "runEnded")).toBe(false);

    // The second driver on the same directory recovers and runs to the end.
    const second = await runOnSpark({ document, batches: BATCHES, checkpointDir: dir });
    expect(second.lines.some((l) => l.type === "recovered")).toBe(true);
    const resumed = sparkRun(runnerDoc, second.lines, second.log, second.exitCode);
    const last = BATCHES * 1000;
    expect(batchTimes(second.lines)).toContain(last);
    expect(batchTimes(second.lines)).not.toContain(1000); // recovered, not started over

    // The final state (running counts, mapWithState's snapshot, the window) is the uninterrupted run's.
    const finalOf = (outputs: Record<string, [number, string[]][]>) =>
      Object.fromEntries(Object.entries(outputs).map(([k, batches]) => [k, batches.find(([t]) => t === last)]));
    expect(finalOf(asMultisets(resumed.outputs))).toEqual(finalOf(asMultisets(uninterrupted.outputs)));
    expect(finalOf(asMultisets(uninterrupted.outputs))["deadLetters:cRunning"]?.[1].length).toBeGreaterThan(0);
    // Every batch the second driver ran gives what the uninterrupted run gave for it.
    const whole_ = asMultisets(uninterrupted.outputs);
    for (const [key, batches] of Object.entries(asMultisets(resumed.outputs)))
      for (const [t, records] of batches) expect([key, t, records]).toEqual([key, t, whole_[key].find(([u]) => u === t)?.[1]]);
    // A user function's throw after recovery still reaches the node errors (batch 9 has a "d").
    expect(resumed.errors.filter((e) => e.nodeId === "risky").length).toBeGreaterThan(0);
  }, 900_000);
});
