import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { PIPELINE_SCHEMA_VERSION, type PipelineDocument } from "@/engine/pipeline/document";
import type { Database } from "@/server/db/client";
import { until, useFreshDatabase } from "./helpers/runs";
import { RunHub, type RunBroadcaster } from "@/server/runs/RunHub";
import type { StateDiff, StatePage, StateSeries } from "@/server/runs/state/types";
import type { RunStatus } from "@/server/runs/types";

// The real hub and worker with a real SQLite database: dead letters, node errors and batch
// summaries are persisted; a new hub (a restarted server) resumes a live run under its id with
// its history; state nodes answer paged queries from the worker's copy of their snapshot.

const quiet: RunBroadcaster = { frame: () => {}, status: () => {}, nodeError: () => {} };

function doc(name: string, nodes: PipelineDocument["nodes"], edges: PipelineDocument["edges"], checkpointing = false): PipelineDocument {
  return {
    schemaVersion: PIPELINE_SCHEMA_VERSION,
    name,
    description: "",
    settings: { batchIntervalMs: 200, checkpointing: { enabled: checkpointing }, concurrentJobs: 1 },
    nodes,
    edges,
  };
}
const at = { x: 0, y: 0 };
const edge = (id: string, source: string, target: string, sourcePort = "out") => ({ id, source, sourcePort, target, targetPort: "in" });

/** Lines that do not parse go to the dead letters; the map throws on the one good transaction's amount. */
const messy = doc(
  "messy",
  [
    { id: "queue", kind: "queue", position: at, config: { batches: [["not a transaction", "1,01/02/2020,123-ABC-789,10.5,coffee"], ["also bad"]], oneAtATime: true } },
    { id: "parse", kind: "parseTransactions", position: at, config: {} },
    { id: "dead", kind: "deadLetters", position: at, config: {} },
    { id: "picky", kind: "map", position: at, config: { fn: "(tx) => { if (tx.amount > 10) throw new Error('too much'); return tx; }" } },
    { id: "out", kind: "print", position: at, config: { num: 10 } },
  ],
  [edge("e1", "queue", "parse"), edge("e2", "parse", "dead", "deadLetter"), edge("e3", "parse", "picky"), edge("e4", "picky", "out")],
);

/** Sums per key x % 3: after the third batch k0 = 9, k1 = 13, k2 = 15. */
const summing = doc(
  "summing",
  [
    { id: "queue", kind: "queue", position: at, config: { batches: [[1, 2, 3], [1, 4], [5, 6, 7, 8]], oneAtATime: true } },
    { id: "pairs", kind: "mapToPair", position: at, config: { fn: "(x) => ['k' + (x % 3), x]" } },
    { id: "sums", kind: "updateStateByKey", position: at, config: { fn: "(values, state) => (state ?? 0) + values.reduce((a, b) => a + b, 0)" } },
    { id: "out", kind: "print", position: at, config: { num: 10 } },
  ],
  [edge("e1", "queue", "pairs"), edge("e2", "pairs", "sums"), edge("e3", "sums", "out")],
  true,
);


const fresh = useFreshDatabase("dss-runstore-");
let db: Database;
let dir: string;
beforeAll(() => {
  db = fresh.db;
  dir = fresh.dir;
});

describe("run records in the database", () => {
  it("persists dead letters and node errors, pages them newest first, and a restarted hub resumes the run with its history", async () => {
    const hub = new RunHub({ db, broadcaster: quiet, frameIntervalMs: 50 });
    const runId = await hub.start(messy, null);
    await until("three completed batches", () => (hub.snapshot(runId)?.batches.filter((b) => b.status === "completed").length ?? 0) >= 3);
    await until("the dead letters and the error in the database", async () => {
      await hub.records.flush();
      return (await db.deadLetter.count({ where: { runId } })) === 2 && (await db.nodeError.count({ where: { runId } })) === 1;
    });

    const page1 = await hub.records.page<{ record: string }>("deadLetters", runId, { limit: 1 });
    expect(page1.items).toHaveLength(1);
    expect(page1.items[0].item.record).toContain("also bad");
    const page2 = await hub.records.page<{ record: string }>("deadLetters", runId, { limit: 1, before: page1.next });
    expect(page2.items[0].item.record).toContain("not a transaction");
    expect(page2.next).toBeUndefined();
    const errors = await hub.records.page<{ message: string; nodeId: string }>("nodeErrors", runId);
    expect(errors.items[0].item).toMatchObject({ nodeId: "picky", message: expect.stringContaining("too much") });

    const batchesBefore = hub.snapshot(runId)!.batches.filter((b) => b.status === "completed").map((b) => b.batchTimeMs);
    await hub.suspendAll();
    expect((await db.run.findUniqueOrThrow({ where: { id: runId } })).status).toBe("running");
    expect(await db.batchMetric.count({ where: { runId } })).toBeGreaterThanOrEqual(3);

    const statuses: RunStatus[] = [];
    const restarted = new RunHub({ db, broadcaster: { ...quiet, status: (_id, s) => statuses.push(s) }, frameIntervalMs: 50 });
    expect(await restarted.resumeInterrupted()).toEqual([runId]);
    const resumed = restarted.snapshot(runId)!;
    expect(resumed.status).toBe("recovering");
    // The history is there at once, before the new thread has run a batch.
    expect(resumed.batches.map((b) => b.batchTimeMs)).toEqual(expect.arrayContaining(batchesBefore.slice(0, 3)));
    expect(resumed.deadLetters?.map((d) => d.record)).toEqual([expect.stringContaining("not a transaction"), expect.stringContaining("also bad")]);
    expect(resumed.nodeErrors).toEqual([expect.objectContaining({ nodeId: "picky" })]);
    expect(resumed.totals?.completedBatches).toBeGreaterThanOrEqual(3);
    await until("the resumed run to be running", () => restarted.snapshot(runId)?.status === "running");
    expect(statuses).toEqual(expect.arrayContaining(["recovering", "running"]));
    // Started from the beginning (queueStream cannot be checkpointed): the dead letters come again.
    await until("the resumed run's dead letters", async () => {
      await restarted.records.flush();
      return (await db.deadLetter.count({ where: { runId } })) === 4;
    });
    await restarted.stop(runId);
    expect((await db.run.findUniqueOrThrow({ where: { id: runId } })).status).toBe("stopped");
    expect(await new RunHub({ db, broadcaster: quiet }).resumeInterrupted()).toEqual([]);
  });
});

describe("state of a state node", () => {
  it("is paged, sorted and searched in the worker, with per-batch change counts and diffs between batches, and stays readable after the run", async () => {
    const hub = new RunHub({ db, broadcaster: quiet, frameIntervalMs: 50, checkpointRoot: path.join(dir, "checkpoints") });
    const runId = await hub.start(summing, null);
    await until("the state streams", () => (hub.snapshot(runId)?.stateStreams?.length ?? 0) > 0);
    expect(hub.snapshot(runId)?.stateStreams).toEqual(["sums:out"]);

    const page = await until("k2 = 15", async () => {
      const reply = await hub.queryState(runId, { kind: "page", streamId: "sums:out", sort: "value", desc: true, limit: 2 });
      return reply.ok && (reply.result as StatePage).rows[0]?.value === "15" ? (reply.result as StatePage) : undefined;
    });
    expect(page.rows.map((r) => [r.key, r.value])).toEqual([
      ["k2", "15"],
      ["k1", "13"],
    ]);
    expect(page).toMatchObject({ total: 3, matched: 3, offset: 0 });

    const searched = await hub.queryState(runId, { kind: "page", streamId: "sums:out", search: "K0" });
    expect(searched.ok && (searched.result as StatePage).rows.map((r) => [r.key, r.value])).toEqual([["k0", "9"]]);

    // Per batch: the first batch added three keys, the second updated one (k1), the third three.
    const withState = hub.snapshot(runId)!.batches.filter((b) => b.state?.["sums:out"]);
    const counts = withState.map((b) => b.state!["sums:out"]);
    expect(counts.slice(0, 3)).toEqual([
      { added: 3, updated: 0, removed: 0, timedOut: 0, total: 3 },
      { added: 0, updated: 1, removed: 0, timedOut: 0, total: 3 },
      { added: 0, updated: 3, removed: 0, timedOut: 0, total: 3 },
    ]);
    const [first, , third] = withState.map((b) => b.batchTimeMs);
    const diff = await hub.queryState(runId, { kind: "diff", streamId: "sums:out", fromBatchMs: first, toBatchMs: third });
    expect(diff.ok && (diff.result as StateDiff).rows).toEqual([
      { key: "k0", before: "3", after: "9", change: "updated" },
      { key: "k1", before: "1", after: "13", change: "updated" },
      { key: "k2", before: "2", after: "15", change: "updated" },
    ]);
    const series = await hub.queryState(runId, { kind: "series", streamId: "sums:out", top: 2 });
    expect(series.ok && (series.result as StateSeries).keys).toEqual(["k2", "k1"]);

    const unknown = await hub.queryState(runId, { kind: "page", streamId: "nope:out" });
    expect(unknown).toEqual({ ok: false, error: expect.stringContaining('no state stream "nope:out"') });
    await hub.stop(runId);
    // The last snapshot was stored at stop: the ended run's state stays readable (paged, searched),
    // also from a new hub on the same database (a restarted server).
    const listed = await hub.queryState(runId, { kind: "list" });
    expect(listed.ok && listed.result).toMatchObject({ kind: "list", streams: [{ streamId: "sums:out", keys: 3 }] });
    const restarted = new RunHub({ db, broadcaster: quiet });
    const stored = await restarted.queryState(runId, { kind: "page", streamId: "sums:out", search: "k2" });
    expect(stored.ok && (stored.result as StatePage).rows.map((r) => [r.key, r.value, r.data])).toEqual([["k2", "15", 15]]);
    const storedPage = await restarted.queryState(runId, { kind: "page", streamId: "sums:out", sort: "value", desc: true, offset: 1, limit: 1 });
    expect(storedPage.ok && storedPage.result).toMatchObject({ total: 3, matched: 3, offset: 1, rows: [{ key: "k1", value: "13" }] });
    expect(await restarted.queryState("no-such-run", { kind: "list" })).toEqual({ ok: false, error: expect.stringContaining("no run with id") });
  });
});
