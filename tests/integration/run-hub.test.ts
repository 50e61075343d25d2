import { beforeAll, describe, expect, it } from "vitest";
import { PIPELINE_SCHEMA_VERSION, type PipelineDocument } from "@/engine/pipeline/document";
import type { Database } from "@/server/db/client";
import { until, useFreshDatabase } from "./helpers/runs";
import { RunHub, type RunBroadcaster } from "@/server/runs/RunHub";
import type { NodeErrorReport, PrintedBatch, RunStatus } from "@/server/runs/types";

// The real hub with real run processes: each run compiles its document in a process of its
// own, so a hung or throwing user function fails or marks that run alone, never the server.

interface Seen {
  statuses: { runId: string; status: RunStatus; message?: string; nodeId?: string }[];
  printed: PrintedBatch[];
  nodeErrors: NodeErrorReport[];
}

function recorder(): { seen: Seen; broadcaster: RunBroadcaster } {
  const seen: Seen = { statuses: [], printed: [], nodeErrors: [] };
  return {
    seen,
    broadcaster: {
      frame: (_runId, _batches, printed) => seen.printed.push(...printed),
      status: (runId, status, message, nodeId) => seen.statuses.push({ runId, status, message, nodeId }),
      nodeError: (_runId, report) => seen.nodeErrors.push(report),
    },
  };
}

function queuePipeline(name: string, fn: string): PipelineDocument {
  return {
    schemaVersion: PIPELINE_SCHEMA_VERSION,
    name,
    description: "",
    settings: { batchIntervalMs: 200, checkpointing: { enabled: false }, concurrentJobs: 1 },
    nodes: [
      { id: "queue", kind: "queue", position: { x: 0, y: 0 }, config: { batches: [[1, 2, 3], [4, 5, 6], [7, 8, 9]], oneAtATime: true } },
      { id: "f", kind: "map", position: { x: 200, y: 0 }, config: { fn } },
      { id: "out", kind: "print", position: { x: 400, y: 0 }, config: { num: 10 } },
    ],
    edges: [
      { id: "e1", source: "queue", sourcePort: "out", target: "f", targetPort: "in" },
      { id: "e2", source: "f", sourcePort: "out", target: "out", targetPort: "in" },
    ],
  };
}


const fresh = useFreshDatabase("dss-runhub-");
let db: Database;
beforeAll(() => {
  db = fresh.db;
});

describe("run hub with run processes", () => {
  it("runs a pipeline in its process: printed batches arrive, and stop ends it", async () => {
    const { seen, broadcaster } = recorder();
    const hub = new RunHub({ db, broadcaster, frameIntervalMs: 50 });
    const runId = await hub.start(queuePipeline("doubling", "(x) => x * 2"), null);
    await until("three printed batches", () => seen.printed.length >= 3);
    const records = seen.printed.slice(0, 3).flatMap((p) => p.lines.filter((l) => /^\d+$/.test(l)));
    expect(records).toEqual(["2", "4", "6", "8", "10", "12", "14", "16", "18"]);
    await hub.stop(runId);
    expect(hub.snapshot(runId)?.status).toBe("stopped");
    expect((await db.run.findUniqueOrThrow({ where: { id: runId } })).status).toBe("stopped");
  });

  it("a function that throws on a record reports it on the node, and the run goes on", async () => {
    const { seen, broadcaster } = recorder();
    const hub = new RunHub({ db, broadcaster, frameIntervalMs: 50 });
    const runId = await hub.start(queuePipeline("picky", "(x) => { if (x === 5) throw new Error('five is bad'); return x; }"), null);
    await until("three printed batches", () => seen.printed.length >= 3);
    expect(seen.nodeErrors).toContainEqual(expect.objectContaining({ nodeId: "f", message: expect.stringContaining("five is bad"), record: "5" }));
    const records = seen.printed.slice(0, 3).flatMap((p) => p.lines.filter((l) => /^\d+$/.test(l)));
    expect(records).toEqual(["1", "2", "3", "4", "6", "7", "8", "9"]);
    expect(hub.snapshot(runId)?.status).toBe("running");
    await hub.stop(runId);
  });

  it("a function that never returns fails its run with the node named, and other runs go on", async () => {
    const { seen, broadcaster } = recorder();
    const hub = new RunHub({ db, broadcaster, frameIntervalMs: 50, batchLimitMs: 2000 });
    const healthy = await hub.start(queuePipeline("healthy", "(x) => x"), null);
    const hung = await hub.start(queuePipeline("hung", "(x) => { for (;;) {} }"), null);
    const failure = await until("the hung run to fail", () => seen.statuses.find((s) => s.runId === hung && s.status === "failed"));
    expect(failure.nodeId).toBe("f");
    expect(failure.message).toMatch(/node "f": its function did not return, and the batch ran past its limit of 2\.0 s/);
    const row = await db.run.findUniqueOrThrow({ where: { id: hung } });
    expect(row).toMatchObject({ status: "failed", errorNodeId: "f" });
    expect(hub.snapshot(healthy)?.status).toBe("running");
    await hub.stop(healthy);
  });

  it("the hub's watchdog stops a process that stops answering outside a batch and names the node it hung in", async () => {
    const { seen, broadcaster } = recorder();
    const hub = new RunHub({
      db,
      broadcaster,
      watchdogMs: 1500,
      workerUrl: new URL("./fixtures/hung-run-worker.mjs", import.meta.url),
    });
    const runId = await hub.start(queuePipeline("frozen", "(x) => x"), null);
    const failure = await until("the frozen run to fail", () => seen.statuses.find((s) => s.status === "failed"));
    expect(failure).toMatchObject({ runId, nodeId: "f" });
    expect(failure.message).toMatch(/node "f": its function did not return within 2 s/);
  });
});
