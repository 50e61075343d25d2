import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PIPELINE_SCHEMA_VERSION, type PipelineDocument } from "@/engine/pipeline/document";
import type { Database } from "@/server/db/client";
import { RunHub } from "@/server/runs/RunHub";
import { until, useFreshDatabase } from "./helpers/runs";

// A batch's fraud flags are in the database before the batch counts as completed (and so before a
// checkpoint can count it as done): the flags output waits for the hub to store them. The
// database here is made slow on purpose, so that a batch completing before its flags are written
// would be seen.

const WRITE_DELAY_MS = 800;
const fresh = useFreshDatabase("dss-flags-durability-");
let hub: RunHub;
let slowDb: Database;

/** The database with flag writes that take WRITE_DELAY_MS longer. */
function withSlowFlagWrites(db: Database): Database {
  const flag = new Proxy(db.flag, {
    get(target, prop) {
      if (prop === "createMany") {
        return async (args: Parameters<Database["flag"]["createMany"]>[0]) => {
          await new Promise((r) => setTimeout(r, WRITE_DELAY_MS));
          return target.createMany(args);
        };
      }
      const value: unknown = Reflect.get(target, prop);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return new Proxy(db, {
    get(target, prop) {
      if (prop === "flag") return flag;
      const value: unknown = Reflect.get(target, prop);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

const candidate = (account: string) => ({ account, rule: "averageTx", windowSpendingAvg: 1, averageTx: 3000, historicAvg: 0, amount: null, threshold: 2000, txIds: [1] });
const flagging: PipelineDocument = {
  schemaVersion: PIPELINE_SCHEMA_VERSION,
  name: "flags every batch",
  description: "",
  settings: { batchIntervalMs: 200, checkpointing: { enabled: false }, concurrentJobs: 1 },
  nodes: [
    { id: "queue", kind: "queue", position: { x: 0, y: 0 }, config: { batches: [[candidate("a"), candidate("b")], [candidate("c")]], oneAtATime: true } },
    { id: "flags", kind: "fraudFlags", position: { x: 200, y: 0 }, config: {} },
  ],
  edges: [{ id: "e1", source: "queue", sourcePort: "out", target: "flags", targetPort: "in" }],
};

beforeAll(() => {
  slowDb = withSlowFlagWrites(fresh.db);
  hub = new RunHub({ db: slowDb, checkpointRoot: fresh.dir, frameIntervalMs: 50, broadcaster: { frame: () => undefined, status: () => undefined, nodeError: () => undefined } });
});
afterAll(async () => {
  await hub?.stopAll();
});

describe("fraud flags and batch completion", () => {
  it("a batch with flags completes only once they are stored", async () => {
    const runId = await hub.start(flagging, null);
    const completed = await until("the first batch with flags to complete", () =>
      hub.snapshot(runId)?.batches.find((b) => b.status === "completed" && Object.keys(b.flags ?? {}).length > 0),
    );
    // Read at once, without asking the store to flush: they are there already.
    const stored = await fresh.db.flag.findMany({ where: { runId, batchTimeMs: completed.batchTimeMs } });
    expect(stored.map((f) => f.account).sort()).toEqual(["a", "b"]);
    // The write's delay is part of the output operation, so of the batch's processing time.
    expect(completed.processingTimeMs).toBeGreaterThanOrEqual(WRITE_DELAY_MS);
  });
});
