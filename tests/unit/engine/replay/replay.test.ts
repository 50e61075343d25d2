import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { batchReplay, checkRecording, compareReplays, InvalidRecordingError, multisetDiff, parseRecordedBatch, replayRecording, type Recording } from "@/engine/replay";
import { doc } from "../../pipeline/harness";

const checkpointDir = fs.mkdtempSync(path.join(os.tmpdir(), "replay-"));
let dirs = 0;
const dir = () => path.join(checkpointDir, String(++dirs));
afterAll(() => fs.rmSync(checkpointDir, { recursive: true, force: true }));
const LIMITS = { maxDepth: 8, maxRecordsPerBatch: 100, maxBatches: 10 };

/** Words from a socket source, counted per batch and kept as running totals (updateStateByKey). */
const wordCount = (mapFn = "(w) => [w, 1]") =>
  doc(
    [
      ["src", "socketText", { host: "localhost", port: 9999 }],
      ["words", "flatMap", {}],
      ["pairs", "map", { fn: mapFn, pairs: true }],
      ["counts", "reduceByKey", {}],
      ["totals", "updateStateByKey", { fn: "(values, state) => (state ?? 0) + values.reduce((a, b) => a + b, 0)" }],
      ["perBatch", "print", {}],
      ["running", "print", {}],
    ],
    [["src", "words"], ["words", "pairs"], ["pairs", "counts"], ["counts", "perBatch"], ["counts", "totals"], ["totals", "running"]],
    { checkpointing: { enabled: true } },
  );

const recording: Recording = {
  batchIntervalMs: 1000,
  batches: [
    { batchTimeMs: 5000, inputs: { src: ["a b", "a"] } },
    { batchTimeMs: 6000, inputs: { src: ["b"] } },
    { batchTimeMs: 7000, inputs: { src: ["a c"] } },
  ],
};

const recordsOf = (result: Awaited<ReturnType<typeof replayRecording>>, nodeId: string) =>
  result.outputs.find((o) => o.nodeId === nodeId)!.batches.map((b) => [b.batchTimeMs, [...b.records].sort()]);

describe("multisetDiff", () => {
  it("counts multiplicity and ignores order", () => {
    expect(multisetDiff(["a", "b", "a"], ["b", "a", "a"])).toEqual({ added: [], removed: [] });
    expect(multisetDiff(["a", "a", "b"], ["a", "c", "c"])).toEqual({ added: [{ record: "c", count: 2 }], removed: [{ record: "a", count: 1 }, { record: "b", count: 1 }] });
  });
});

describe("replaying recorded batches on a manual clock", () => {
  it("feeds each source its recorded records at the recorded batch times, state built from the first batch", async () => {
    const result = await replayRecording(wordCount(), recording, { checkpointDir: dir() });
    expect(result.batchTimesMs).toEqual([5000, 6000, 7000]);
    expect(recordsOf(result, "perBatch")).toEqual([
      [5000, ["(a,2)", "(b,1)"]],
      [6000, ["(b,1)"]],
      [7000, ["(a,1)", "(c,1)"]],
    ]);
    expect(recordsOf(result, "running")).toEqual([
      [5000, ["(a,2)", "(b,1)"]],
      [6000, ["(a,2)", "(b,2)"]],
      [7000, ["(a,3)", "(b,2)", "(c,1)"]],
    ]);
    expect(result.errors).toEqual([]);
  });

  it("stops at the batch asked for", async () => {
    const result = await replayRecording(wordCount(), recording, { untilBatchMs: 6000, checkpointDir: dir() });
    expect(result.batchTimesMs).toEqual([5000, 6000]);
    expect(recordsOf(result, "running").at(-1)).toEqual([6000, ["(a,2)", "(b,2)"]]);
  });

  it("an identical document shows no difference; a changed function shows what it added and removed", async () => {
    const before = await replayRecording(wordCount(), recording, { checkpointDir: dir() });
    expect(compareReplays(before, await replayRecording(wordCount(), recording, { checkpointDir: dir() })).differences).toBe(0);
    const after = await replayRecording(wordCount("(w) => [w.toUpperCase(), 1]"), recording, { checkpointDir: dir() });
    const comparison = compareReplays(before, after);
    expect(comparison.differences).toBe(6); // both outputs, every batch
    const perBatch = comparison.outputs.find((o) => o.nodeId === "perBatch")!;
    expect(perBatch.changed[1]).toEqual({ batchTimeMs: 6000, added: [{ record: "(B,1)", count: 1 }], removed: [{ record: "(b,1)", count: 1 }], beforeCount: 1, afterCount: 1 });
    const batch = batchReplay(before, after, 7000);
    expect(batch.outputs.find((o) => o.nodeId === "running")).toMatchObject({ beforeCount: 3, afterCount: 3, only: undefined });
  });

  it("reports a user function's throw per record and goes on", async () => {
    const result = await replayRecording(wordCount("(w) => { if (w === 'c') throw new Error('no c'); return [w, 1]; }"), recording, { checkpointDir: dir() });
    expect(result.errors).toEqual([{ nodeId: "pairs", field: "fn", message: "no c", batchTimeMs: 7000 }]);
    expect(recordsOf(result, "perBatch").at(-1)).toEqual([7000, ["(a,1)"]]);
  });

  it("says which sources were not recorded and keeps writing outputs from writing", async () => {
    const d = wordCount();
    d.nodes.push({ id: "files", kind: "saveAsTextFiles", position: { x: 0, y: 0 }, config: { prefix: "/nonexistent/out" } });
    d.edges.push({ id: "ef", source: "counts", target: "files", sourcePort: "out", targetPort: "in" });
    const result = await replayRecording(d, { ...recording, batches: recording.batches.map((b) => ({ ...b, inputs: { other: ["x"] } })) }, { checkpointDir: dir() });
    expect(result.notes.join("\n")).toMatch(/source "src" was not recorded/);
    expect(result.notes.join("\n")).toMatch(/output "files" \(saveAsTextFiles\) does not write/);
    expect(recordsOf(result, "files")).toEqual([[5000, []], [6000, []], [7000, []]]);
  });
});

describe("recorded input read back is validated", () => {
  it("accepts plain JSON records", () => {
    expect(parseRecordedBatch(5000, JSON.stringify({ src: ["a", 1, { x: [true, null] }] }), LIMITS)).toEqual({ batchTimeMs: 5000, inputs: { src: ["a", 1, { x: [true, null] }] } });
  });
  it.each([
    ["not JSON", 5000, "{", /not JSON/],
    ["a bad time", 1.5, "{}", /whole number/],
    ["records not an array", 5000, '{"src":1}', /not an array/],
    ["a bad node id", 5000, '{"a b":[]}', /not a node id/],
    ["a __proto__ key in a record", 5000, '{"src":[{"__proto__":{"x":1}}]}', /__proto__/],
    ["too deep", 5000, JSON.stringify({ src: [[[[[[[[[[1]]]]]]]]]] }), /nested more than 8/],
    ["too many records", 5000, JSON.stringify({ src: Array(101).fill(1) }), /more than 100 records/],
  ])("refuses %s, naming the batch", (_name, time, payload, message) => {
    expect(() => parseRecordedBatch(time, payload, LIMITS)).toThrow(InvalidRecordingError);
    expect(() => parseRecordedBatch(time, payload, LIMITS)).toThrow(message);
  });
  it("refuses a recording with a gap or off the grid", () => {
    expect(() => checkRecording({ batchIntervalMs: 1000, batches: [{ batchTimeMs: 1000, inputs: {} }, { batchTimeMs: 3000, inputs: {} }] }, LIMITS)).toThrow(/gap/);
    expect(() => checkRecording({ batchIntervalMs: 1000, batches: [{ batchTimeMs: 1500, inputs: {} }] }, LIMITS)).toThrow(/grid/);
    expect(() => checkRecording({ batchIntervalMs: 1000, batches: [] }, LIMITS)).toThrow(/no batches/);
  });
});
