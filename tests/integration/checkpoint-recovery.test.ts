import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { PIPELINE_SCHEMA_VERSION, type PipelineDocument } from "@/engine/pipeline/document";
import type { Database } from "@/server/db/client";
import { RunHub, type RunBroadcaster } from "@/server/runs/RunHub";
import type { CheckpointRecovery } from "@/server/runs/types";
import { until, useFreshDatabase } from "./helpers/runs";

// A run resumed after a restart with damaged checkpoints, on the real hub and worker: it falls
// back to the older file and says which it skipped and why; with no usable file it stays stopped
// and waits for the user, who may resume it from scratch.

const at = { x: 0, y: 0 };
const edge = (id: string, source: string, target: string) => ({ id, source, sourcePort: "out", target, targetPort: "in" });
const counting: PipelineDocument = {
  schemaVersion: PIPELINE_SCHEMA_VERSION,
  name: "counting",
  description: "",
  settings: { batchIntervalMs: 200, checkpointing: { enabled: true }, concurrentJobs: 1 },
  nodes: [
    { id: "gen", kind: "transactionGenerator", position: at, config: { mode: "random", timeScale: 20, seed: 7 } },
    { id: "pairs", kind: "mapToPair", position: at, config: { fn: "(line) => [String(line).split(',')[2], 1]" } },
    { id: "sums", kind: "updateStateByKey", position: at, config: { fn: "(values, state) => (state ?? 0) + values.length" } },
    { id: "out", kind: "print", position: at, config: { num: 3 } },
  ],
  edges: [edge("e1", "gen", "pairs"), edge("e2", "pairs", "sums"), edge("e3", "sums", "out")],
};

const fresh = useFreshDatabase("dss-checkpoint-recovery-");
let db: Database;
let root: string;
beforeAll(() => {
  db = fresh.db;
  root = path.join(fresh.dir, "checkpoints");
});

function hubWithLog(recoveries: CheckpointRecovery[]): RunHub {
  const broadcaster: RunBroadcaster = { frame: () => {}, status: () => {}, nodeError: () => {}, recovery: (_id, r) => recoveries.push(r) };
  return new RunHub({ db, broadcaster, frameIntervalMs: 50, checkpointRoot: root });
}

const files = (runId: string) => fs.readdirSync(path.join(root, runId)).filter((n) => /^checkpoint-\d+$/.test(n)).sort();

describe("resuming with damaged checkpoints", () => {
  it("falls back to the older file, naming the skipped one; with none usable it stays stopped until the user chooses", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const first = hubWithLog([]);
    const runId = await first.start(counting, null);
    await until("two checkpoint files", () => fs.existsSync(path.join(root, runId)) && files(runId).length >= 2);
    await first.suspendAll();

    // The newest file truncated to half: the older one is used, and the skipped file is named.
    const [older, newest] = files(runId).slice(-2);
    fs.truncateSync(path.join(root, runId, newest), Math.floor(fs.statSync(path.join(root, runId, newest)).size / 2));
    const seen: CheckpointRecovery[] = [];
    const second = hubWithLog(seen);
    expect(await second.resumeInterrupted()).toEqual([runId]);
    await until("the resumed run to be running", () => second.snapshot(runId)?.status === "running");
    const recovery = second.snapshot(runId)!.recovery!;
    expect(recovery).toMatchObject({ needsDecision: false, restoredFrom: older, skipped: [{ file: newest, kind: "truncated" }] });
    expect(recovery.message).toContain(`${newest} (truncated)`);
    expect(seen).toEqual([recovery]);
    expect(warn.mock.calls.flat().join("\n")).toContain(newest);
    await until("a checkpoint written after the restart", () => files(runId).some((f) => f > newest));
    await second.suspendAll();

    // Every file damaged: no silent fresh start. The run is stopped, and asks.
    for (const f of files(runId)) {
      const p = path.join(root, runId, f);
      const bytes = fs.readFileSync(p);
      bytes[bytes.length - 1] ^= 0xff;
      fs.writeFileSync(p, bytes);
    }
    const damaged = files(runId);
    const third = hubWithLog([]);
    await third.resumeInterrupted();
    await until("the run to end, waiting for a decision", () => third.snapshot(runId)?.ended);
    const stuck = third.snapshot(runId)!;
    expect(stuck.status).toBe("stopped");
    expect(stuck.recovery?.needsDecision).toBe(true);
    expect(stuck.recovery?.skipped.map((s) => [s.file, s.kind])).toEqual(damaged.reverse().map((f) => [f, "checksum"]));
    expect(stuck.message).toContain("no usable checkpoint");
    expect(stuck.totals?.completedBatches).toBeGreaterThan(0); // its history was not thrown away
    expect((await db.run.findUniqueOrThrow({ where: { id: runId } })).status).toBe("stopped");

    // The user resumes it from scratch: the damaged files are kept aside and the run goes on.
    await third.decideRecovery(runId, "fresh");
    expect(fs.readdirSync(path.join(root, runId)).filter((n) => n.startsWith("damaged-checkpoint-"))).toHaveLength(damaged.length);
    await until("the run to be running again", () => third.snapshot(runId)?.status === "running" && !third.snapshot(runId)?.ended);
    await expect(third.decideRecovery(runId, "fresh")).rejects.toThrow("is live");
    await third.stop(runId);
    warn.mockRestore();
  });
});
