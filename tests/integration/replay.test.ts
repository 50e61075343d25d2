import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PIPELINE_SCHEMA_VERSION, type PipelineDocument } from "@/engine/pipeline/document";
import type { Database } from "@/server/db/client";
import { POST as replayRoute } from "@/app/api/runs/[runId]/replay/route";
import { GET as recordingRoute } from "@/app/api/runs/[runId]/recording/route";
import { RunHub, type RunBroadcaster } from "@/server/runs/RunHub";
import { registerServices } from "@/server/services";
import type { ReplayOutcome } from "@/server/runs/replay/job";
import { until, useFreshDatabase } from "./helpers/runs";

// Recording a run's input and replaying it: the real hub and run processes record the first
// batches of a transaction generator run into the database; replays of them run in processes of
// their own; the command line compares a document file with the run.

const broadcaster: RunBroadcaster = { frame: () => undefined, status: () => undefined, nodeError: () => undefined };

/** Transactions → amounts per account per batch (print) and running totals per account (updateStateByKey, print). */
function totals(amountFn = "(t) => [t.account_number, t.amount]"): PipelineDocument {
  const node = (id: string, kind: string, config: Record<string, unknown> = {}) => ({ id, kind, position: { x: 0, y: 0 }, config });
  const edge = (source: string, target: string) => ({ id: `${source}-${target}`, source, sourcePort: "out", target, targetPort: "in" });
  return {
    schemaVersion: PIPELINE_SCHEMA_VERSION,
    name: "totals",
    description: "",
    settings: { batchIntervalMs: 200, checkpointing: { enabled: true }, concurrentJobs: 1 },
    nodes: [
      node("tx", "transactionGenerator", { mode: "random", seed: 7, timeScale: 20 }),
      node("parse", "parseTransactions"),
      node("amounts", "map", { fn: amountFn, pairs: true }),
      node("perBatch", "reduceByKey"),
      node("running", "updateStateByKey", { fn: "(values, state) => (state ?? 0) + values.reduce((a, b) => a + b, 0)" }),
      node("printBatch", "print"),
      node("printTotals", "print"),
    ],
    edges: [edge("tx", "parse"), edge("parse", "amounts"), edge("amounts", "perBatch"), edge("perBatch", "printBatch"), edge("amounts", "running"), edge("running", "printTotals")],
  };
}

const fresh = useFreshDatabase("dss-replay-");
let db: Database;
let hub: RunHub;
let runId: string;
const saved = { ...process.env };

beforeAll(async () => {
  db = fresh.db;
  process.env.RECORD_MAX_BATCHES = "6";
  hub = new RunHub({ db, broadcaster, frameIntervalMs: 50, checkpointRoot: path.join(fresh.dir, "checkpoints") });
  runId = await hub.start(totals(), null);
  // Runs past the cap, so that the cap is seen to hold.
  await until("nine completed batches", () => (hub.snapshot(runId)?.totals?.completedBatches ?? 0) >= 9);
  await hub.stop(runId);
  await hub.replays.flush();
}, 120_000);

afterAll(() => {
  process.env = saved;
});

const compare = (doc: PipelineDocument) => hub.replays.compare(runId, doc);
const ok = <K extends "compare" | "batch">(o: ReplayOutcome, kind: K): Extract<ReplayOutcome, { kind: K }> => {
  if (!o.ok) throw new Error(`replay failed: ${o.error}`);
  expect(o.kind).toBe(kind);
  return o as Extract<ReplayOutcome, { kind: K }>;
};

describe("recording a run's input", () => {
  it("keeps the run's first batches, no more than RECORD_MAX_BATCHES, consecutive, with their records", async () => {
    const summary = await hub.replays.summary(runId);
    expect(summary.batchTimesMs).toHaveLength(6);
    summary.batchTimesMs.forEach((t, i) => i > 0 && expect(t - summary.batchTimesMs[i - 1]).toBe(200));
    expect(summary.ended).toMatch(/RECORD_MAX_BATCHES=6/);
    const rows = await db.recordedBatch.findMany({ where: { runId } });
    const lines = rows.flatMap((r) => (JSON.parse(r.payload) as { tx: string[] }).tx);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines[0]).toMatch(/^\d+,\d\d\/\d\d\/\d{4},/);
  });
});

describe("replaying recorded batches in a replay process", () => {
  it("the run's own document shows no difference", async () => {
    const { comparison } = ok(await compare(totals()), "compare");
    expect(comparison.batchTimesMs).toHaveLength(6);
    expect(comparison.differences).toBe(0);
    expect(comparison.outputs.map((o) => o.nodeId).sort()).toEqual(["printBatch", "printTotals"]);
  });

  it("a changed function changes both outputs, state included, as multisets of records", async () => {
    const { comparison } = ok(await compare(totals("(t) => [t.account_number, t.amount * 2]")), "compare");
    expect(comparison.differences).toBeGreaterThan(0);
    const running = comparison.outputs.find((o) => o.nodeId === "printTotals")!;
    const changed = running.changed.find((b) => b.added.length > 0)!;
    expect(changed.added.length).toBe(changed.removed.length); // the same keys, other totals
  });

  it("one batch again: its outputs before and after side by side, with state from the batches before it", async () => {
    const { batchTimesMs } = await hub.replays.summary(runId);
    const t = batchTimesMs[4];
    const { batch } = ok(await hub.replays.replayBatch(runId, t, totals("(t) => [t.account_number, 0]")), "batch");
    expect(batch.batchTimeMs).toBe(t);
    const totalsOut = batch.outputs.find((o) => o.nodeId === "printTotals")!;
    expect(totalsOut.before.length).toBeGreaterThan(0);
    expect(totalsOut.after.every((r) => /,0\)$/.test(r))).toBe(true);
    expect(totalsOut.before.some((r) => !/,0\)$/.test(r))).toBe(true);
  });

  it("a batch that was not recorded cannot be replayed, and the answer says why", async () => {
    const { batchTimesMs } = await hub.replays.summary(runId);
    await expect(hub.replays.replayBatch(runId, batchTimesMs.at(-1)! + 200, totals())).rejects.toThrow(/not recorded.*first 6 batches/);
  });

  it("a function that never returns is stopped past the time limit, naming its node; the server goes on", async () => {
    process.env.REPLAY_TIME_LIMIT_MS = "3000";
    const limited = new RunHub({ db, broadcaster });
    const outcome = await limited.replays.compare(runId, totals("(t) => { for (;;) {} }"));
    expect(outcome).toMatchObject({ ok: false, nodeId: "amounts", error: expect.stringMatching(/limit of 3 s.*node "amounts"/) });
    delete process.env.REPLAY_TIME_LIMIT_MS;
  });

  it("user functions in a replay reach no host objects", async () => {
    const { comparison } = ok(await compare(totals("(t) => [typeof process + ',' + typeof require + ',' + typeof fetch, 1]")), "compare");
    const added = comparison.outputs.find((o) => o.nodeId === "printBatch")!.changed[0].added.map((r) => r.record);
    expect(added[0]).toMatch(/^\(undefined,undefined,undefined,\d+\)$/);
  });

  it("recorded input read back is validated: a tampered batch is refused, naming it", async () => {
    const rows = await db.recordedBatch.findMany({ where: { runId }, orderBy: { batchTimeMs: "asc" } });
    const other = await hub.start(totals(), null);
    await hub.stop(other);
    await hub.replays.flush();
    await db.recordedBatch.deleteMany({ where: { runId: other } });
    await db.recordedBatch.create({ data: { runId: other, batchTimeMs: rows[0].batchTimeMs, bytes: 10, payload: '{"tx":[{"__proto__":{"polluted":1}}]}' } });
    await expect(hub.replays.compare(other, totals())).rejects.toThrow(new RegExp(`recorded batch ${rows[0].batchTimeMs} ms, source "tx", record 0: it holds a "__proto__" key`));
  });
});

describe("POST /api/runs/:runId/replay and GET /recording", () => {
  const post = (id: string, body: unknown) =>
    replayRoute(new Request(`http://localhost/api/runs/${id}/replay`, { method: "POST", headers: { "content-type": "application/json" }, body: typeof body === "string" ? body : JSON.stringify(body) }), {
      params: Promise.resolve({ runId: id }),
    });
  beforeAll(() => registerServices({ db, runs: hub, startedAt: new Date() }));

  it("answers with the recording's batches and caps", async () => {
    const res = await recordingRoute(new Request(`http://localhost/api/runs/${runId}/recording`), { params: Promise.resolve({ runId }) });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ runId, batchIntervalMs: 200, limits: { maxBatches: 6 }, batchTimesMs: expect.any(Array) });
  });

  it("compares a document sent with the run, and one batch side by side", async () => {
    const res = await post(runId, { document: totals() });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ runId, against: { source: "request" }, outcome: { ok: true, kind: "compare", comparison: { differences: 0 } } });
    const { batchTimesMs } = await hub.replays.summary(runId);
    const one = await post(runId, { document: totals(), batchTimeMs: batchTimesMs[1] });
    expect(await one.json()).toMatchObject({ outcome: { ok: true, kind: "batch", batch: { batchTimeMs: batchTimesMs[1] } } });
  });

  it("refuses malformed requests like every route: 400 with the reason", async () => {
    expect((await post(runId, "{")).status).toBe(400);
    expect((await post(runId, { batchTimeMs: "soon" })).status).toBe(400);
    expect((await post(runId, { extra: 1 })).status).toBe(400);
    const bad = await post(runId, { document: { nodes: "x" } });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toMatch(/invalid pipeline document/);
  });

  it("404 for an unknown run, 409 for a batch that was not recorded", async () => {
    expect((await post("no-such-run", { document: totals() })).status).toBe(404);
    const res = await post(runId, { document: totals(), batchTimeMs: 200 });
    expect(res.status).toBe(409);
    expect((await res.json()).error).toMatch(/not recorded|no batch at or before/);
  });
});

describe("npm run replay", () => {
  const cli = (...args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, ["scripts/replay.mjs", ...args], { env: { ...process.env, DATABASE_URL: `file:${fresh.dir}/studio.db` } }, (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
      );
    });
  const file = (name: string, doc: unknown) => {
    const p = path.join(fresh.dir, name);
    fs.writeFileSync(p, JSON.stringify(doc));
    return p;
  };

  it("exits 0 and says so when the document's outputs equal the run's", async () => {
    const { code, stdout } = await cli(runId, file("same.json", totals()));
    expect(stdout).toMatch(/no differences/);
    expect(code).toBe(0);
  }, 60_000);

  it("exits 1 and prints the records added and removed when a function changed", async () => {
    const { code, stdout } = await cli(runId, file("changed.json", { document: totals("(t) => [t.account_number, -t.amount]") }));
    expect(stdout).toMatch(/output "printBatch" \(print\): \d+ of 6 batches changed/);
    expect(stdout).toMatch(/^ {4}\+ \(.+,-\d/m);
    expect(stdout).toMatch(/^ {4}- \(.+,\d/m);
    expect(code).toBe(1);
  }, 60_000);

  it("exits 2 on errors: usage, an unknown run, a file that is no document", async () => {
    expect((await cli(runId)).code).toBe(2);
    const unknown = await cli("no-such-run", file("same.json", totals()));
    expect(unknown.stderr).toMatch(/no run with id "no-such-run"/);
    expect(unknown.code).toBe(2);
    const bad = await cli(runId, file("bad.json", { nodes: "x" }));
    expect(bad.stderr).toMatch(/not a valid pipeline document/);
    expect(bad.code).toBe(2);
  }, 60_000);
});
