import { describe, expect, it } from "vitest";
import { applyFrame, applyNodeError, applyStatus, fromSnapshot, KEEP_BATCHES } from "@/components/dashboard/live/runState";
import type { BatchSummary, RunSnapshot } from "@/server/runs/types";

const batch = (t: number, status: BatchSummary["status"] = "completed", numRecords = 1): BatchSummary => ({
  batchTimeMs: t,
  status,
  inputSize: {},
  numRecords,
  streamCounts: {},
  numOutputOps: 1,
  numFailedOutputOps: status === "failed" ? 1 : 0,
  errors: [],
});

const snapshot = (batches: BatchSummary[], extra: Partial<RunSnapshot> = {}): RunSnapshot => ({
  runId: "r1",
  pipelineId: null,
  name: "Run",
  status: "running",
  startedAt: "2025-01-01T00:00:00.000Z",
  batchIntervalMs: 1000,
  batches,
  printed: [],
  nodeErrors: [],
  ...extra,
});

describe("the dashboard's copy of a run", () => {
  it("starts from the snapshot and counts its completed batches when the server sends no totals", () => {
    const v = fromSnapshot(snapshot([batch(2000, "processing"), batch(1000, "completed", 5)]));
    expect(v.batches.map((b) => b.batchTimeMs)).toEqual([1000, 2000]);
    expect(v.totals).toEqual({ completedBatches: 1, failedBatches: 0, totalRecords: 5 });
  });

  it("keeps one printed entry per node and batch when a frame repeats what the snapshot held, in batch order", () => {
    const p = (nodeId: string, t: number, line: string) => ({ nodeId, batchTimeMs: t, lines: [line] });
    let v = fromSnapshot(snapshot([], { printed: [p("a", 1000, "a1"), p("b", 1000, "b1"), p("a", 2000, "a2")] }));
    v = applyFrame(v, { runId: "r1", batches: [], printed: [p("b", 1000, "b1 again"), p("b", 2000, "b2")] }).view;
    expect(v.printed.map((e) => e.lines[0])).toEqual(["a1", "b1 again", "a2", "b2"]);
  });

  it("replaces batches by time, counts each completion once, and appends printed output", () => {
    let v = fromSnapshot(snapshot([batch(1000), batch(2000, "processing", 3)]));
    const printed = { nodeId: "print", batchTimeMs: 2000, lines: ["---"] };
    v = applyFrame(v, { runId: "r1", batches: [batch(2000, "completed", 3), batch(3000, "queued")], printed: [printed] }).view;
    v = applyFrame(v, { runId: "r1", batches: [batch(2000, "completed", 3)], printed: [] }).view;
    expect(v.batches.map((b) => [b.batchTimeMs, b.status])).toEqual([
      [1000, "completed"],
      [2000, "completed"],
      [3000, "queued"],
    ]);
    expect(v.totals).toEqual({ completedBatches: 2, failedBatches: 0, totalRecords: 4 });
    expect(v.printed).toEqual([printed]);
  });

  it("keeps details a later summary no longer carries", () => {
    let v = fromSnapshot(snapshot([{ ...batch(1000, "processing"), samples: { "a:out": ["x"] } }]));
    v = applyFrame(v, { runId: "r1", batches: [batch(1000)], printed: [] }).view;
    expect(v.batches[0].samples).toEqual({ "a:out": ["x"] });
  });

  it("spots missed frames by their numbers, or by a hole in the batch grid when unnumbered", () => {
    const numbered = fromSnapshot(snapshot([batch(1000)], { frameSeq: 4 }));
    expect(applyFrame(numbered, { runId: "r1", batches: [batch(2000)], printed: [], seq: 5 }).missed).toBe(false);
    expect(applyFrame(numbered, { runId: "r1", batches: [batch(3000)], printed: [], seq: 7 }).missed).toBe(true);
    const plain = fromSnapshot(snapshot([batch(1000)]));
    expect(applyFrame(plain, { runId: "r1", batches: [batch(2000)], printed: [] }).missed).toBe(false);
    expect(applyFrame(plain, { runId: "r1", batches: [batch(4000)], printed: [] }).missed).toBe(true);
  });

  it("uses the server's totals when a frame carries them", () => {
    const v = applyFrame(fromSnapshot(snapshot([])), { runId: "r1", batches: [batch(1000)], printed: [], totals: { completedBatches: 1500, failedBatches: 2, totalRecords: 9 } }).view;
    expect(v.totals.completedBatches).toBe(1500);
  });

  it("caps the batches it keeps", () => {
    const many = Array.from({ length: KEEP_BATCHES + 10 }, (_, i) => batch((i + 1) * 1000));
    const v = applyFrame(fromSnapshot(snapshot([])), { runId: "r1", batches: many, printed: [] }).view;
    expect(v.batches.length).toBe(KEEP_BATCHES);
    expect(v.batches[0].batchTimeMs).toBe(11_000);
  });

  it("ignores updates of other runs and applies status and node errors of its own", () => {
    let v = fromSnapshot(snapshot([]));
    expect(applyFrame(v, { runId: "other", batches: [batch(1000)], printed: [] }).view).toBe(v);
    v = applyStatus(v, { runId: "r1", status: "failed", message: "node parse: boom", nodeId: "parse" });
    v = applyNodeError(v, "r1", { nodeId: "parse", message: "bad record" });
    expect(v).toMatchObject({ status: "failed", errorNodeId: "parse", message: "node parse: boom" });
    expect(v.nodeErrors).toHaveLength(1);
  });
});

describe("dead letters and flags in the browser's copy", () => {
  it("appends live dead letters and flags of its own run only, capped", async () => {
    const { applyDeadLetters, applyFlags, fromSnapshot, KEEP_DEAD_LETTERS } = await import("@/components/dashboard/live/runState");
    const view = fromSnapshot({ runId: "r", pipelineId: null, name: "n", status: "running", startedAt: "", batchIntervalMs: 1000, batches: [], printed: [], nodeErrors: [] });
    expect(view).toMatchObject({ deadLetters: [], flags: [], stateStreams: [] });
    const letters = Array.from({ length: KEEP_DEAD_LETTERS + 5 }, (_, i) => ({ nodeId: "dead", batchTimeMs: i, record: `r${i}` }));
    const after = applyDeadLetters(view, "r", letters);
    expect(after.deadLetters).toHaveLength(KEEP_DEAD_LETTERS);
    expect(after.deadLetters[0].record).toBe("r5");
    expect(applyDeadLetters(view, "other", letters)).toBe(view);
    const flag = { account: "a", rule: "averageTx", windowSpendingAvg: 1, averageTx: 2, historicAvg: 0, amount: null, threshold: 1, batchTimeMs: 1, window: { startMs: 0, endMs: 1 }, txIds: [1], transactions: [] };
    expect(applyFlags(view, "r", [{ nodeId: "flags", batchTimeMs: 1, flag }]).flags).toHaveLength(1);
  });
});
