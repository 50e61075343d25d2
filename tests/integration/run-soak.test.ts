import v8 from "node:v8";
import vm from "node:vm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PIPELINE_SCHEMA_VERSION, type PipelineDocument } from "@/engine/pipeline/document";
import type { Database } from "@/server/db/client";
import { RunHub } from "@/server/runs/RunHub";
import { until, useFreshDatabase } from "./helpers/runs";

// Ended runs release their memory: 50 runs started and stopped leave the server's heap within
// 20 MB of its baseline; the hub keeps only a summary of each (the database has the rest).

v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc") as () => void;
const heapMb = (): number => {
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed / 1024 / 1024;
};

const at = { x: 0, y: 0 };
/** Five batches of 100 long lines, printed: samples, printed output and batch summaries for the hub to hold on to. */
const busy: PipelineDocument = {
  schemaVersion: PIPELINE_SCHEMA_VERSION,
  name: "soak",
  description: "",
  settings: { batchIntervalMs: 100, checkpointing: { enabled: false }, concurrentJobs: 1 },
  nodes: [
    {
      id: "queue",
      kind: "queue",
      position: at,
      config: { batches: Array.from({ length: 5 }, (_, b) => Array.from({ length: 100 }, (_, i) => `batch ${b} line ${i} ${"x".repeat(200)}`)), oneAtATime: true },
    },
    { id: "upper", kind: "map", position: at, config: { fn: "(line) => String(line).toUpperCase()" } },
    { id: "out", kind: "print", position: at, config: { num: 50 } },
  ],
  edges: [
    { id: "e1", source: "queue", sourcePort: "out", target: "upper", targetPort: "in" },
    { id: "e2", source: "upper", sourcePort: "out", target: "out", targetPort: "in" },
  ],
};

const fresh = useFreshDatabase("dss-soak-");
let db: Database;
let hub: RunHub;
beforeAll(() => {
  db = fresh.db;
  // A generous watchdog: thread start-up on a loaded 2-core machine is slow, and this test is about memory.
  hub = new RunHub({ db, checkpointRoot: fresh.dir, frameIntervalMs: 50, watchdogMs: 60_000, broadcaster: { frame: () => undefined, status: () => undefined, nodeError: () => undefined } });
});
afterAll(async () => {
  await hub?.stopAll();
});

async function runOnce(): Promise<string> {
  const runId = await hub.start(busy, null);
  await until("three completed batches", () => (hub.snapshot(runId)?.totals?.completedBatches ?? 0) >= 3, 120_000).catch((e: Error) => {
    throw new Error(`${e.message}: ${JSON.stringify({ ...hub.snapshot(runId), batches: hub.snapshot(runId)?.batches.length })}`);
  });
  await hub.stop(runId);
  return runId;
}

describe("ended runs", () => {
  it("50 runs started and stopped: the heap returns within 20 MB of its baseline, and each ended run is a summary", async () => {
    // Warm up (module loading, database client, first thread), then take the baseline.
    await runOnce();
    const baseline = heapMb();
    const ids: string[] = [];
    for (let i = 0; i < 50; i++) ids.push(await runOnce());
    await hub.records.flush();
    const after = heapMb();
    console.log(`soak: heap ${baseline.toFixed(1)} MB at baseline, ${after.toFixed(1)} MB after 50 runs (${(after - baseline).toFixed(1)} MB more); ${hub.liveCount} live runs in the hub`);
    expect(hub.liveCount).toBe(0);
    expect(after - baseline).toBeLessThan(20);
    // The ended runs are still known, as summaries; their batches are in the database.
    const last = hub.snapshot(ids[ids.length - 1])!;
    expect(last).toMatchObject({ status: "stopped", ended: true, batches: [] });
    expect(last.totals?.completedBatches).toBeGreaterThanOrEqual(3);
    expect(await db.batchMetric.count({ where: { runId: ids[0] } })).toBeGreaterThanOrEqual(3);
    expect(hub.list().filter((r) => ids.includes(r.runId)).every((r) => r.status === "stopped")).toBe(true);
  }, 1_200_000); // 51 threads started one after the other: slow on a loaded machine, and no timing is asserted
});
