/**
 * A replay, in a run process of its own (started by runReplay.ts through run-entry.mjs, under
 * the same permission model and SES compartments as a live run): replays the recorded batches
 * through the run's document and the one to compare, and posts the comparison. Never in the
 * server's process: replays run user functions.
 */
import path from "node:path";
import { PipelineCompileError, type CompileEnvironment } from "../../../engine/pipeline/compile";
import type { PipelineDocument } from "../../../engine/pipeline/document";
import { hardenRealm } from "../../../engine/pipeline/userCode/realm";
import { compileUserFunction } from "../../../engine/pipeline/userFunction";
import { batchReplay, compareReplays } from "../../../engine/replay/compare";
import { replayRecording } from "../../../engine/replay/replay";
import type { ReplayResult } from "../../../engine/replay/types";
import { markBusy, runData } from "../runChannel";
import type { WorkerMessage } from "../types";
import type { ReplayOutcome } from "./job";

const data = await runData();
hardenRealm();
const job = data.replay;

const errorText = (e: unknown): string =>
  typeof e === "object" && e !== null && "message" in e ? String((e as { message: unknown }).message) : String(e);

/** Sends the answer, then waits to be ended by the server (which holds the process's fate). */
function answer(outcome: ReplayOutcome): void {
  const msg: WorkerMessage = { type: "replayDone", outcome };
  process.send?.(msg);
}

/** User functions through the one sandboxed factory, marking the node for the sentinel (by its index in data.document). */
function userFunctionFor(): CompileEnvironment["userFunction"] {
  return (source, where) => {
    const index = data.document.nodes.findIndex((n) => n.id === where.nodeId) + 1;
    markBusy(index);
    const fn = compileUserFunction(source, { filename: `${where.nodeId}.${where.field}` });
    markBusy(0);
    return (...args: unknown[]) => {
      markBusy(index);
      try {
        return fn(...args);
      } finally {
        markBusy(0);
      }
    };
  };
}

async function replay(side: "before" | "after", document: PipelineDocument): Promise<ReplayResult> {
  const tables = job!.tables ?? {};
  return replayRecording(document, job!.recording, {
    untilBatchMs: job!.batchTimeMs,
    checkpointDir: path.join(data.checkpointRoot ?? path.join(process.cwd(), "data", "replays"), data.runId, side),
    userFunction: userFunctionFor(),
    readTable: (table) => {
      const rows = tables[table];
      if (!rows) throw new Error(`lookup table "${table}" was not loaded for this replay`);
      return rows;
    },
  });
}

if (!job) {
  answer({ ok: false, error: "this process was started without a replay to run" });
} else {
  let side: "before" | "after" = "before";
  try {
    const before = await replay("before", job.before);
    side = "after";
    const after = await replay("after", job.after);
    // Lookup tables are read as they are now: the run may have read other rows.
    for (const table of Object.keys(job.tables ?? {})) {
      const note = `lookup table "${table}" is read as it is now, which may differ from what the run read`;
      for (const result of [before, after]) if (!result.notes.includes(note)) result.notes.push(note);
    }
    answer(
      job.batchTimeMs === undefined
        ? { ok: true, kind: "compare", comparison: compareReplays(before, after) }
        : { ok: true, kind: "batch", batch: batchReplay(before, after, job.batchTimeMs) },
    );
  } catch (e) {
    const nodeId = e instanceof PipelineCompileError ? e.nodeId : undefined;
    answer({ ok: false, error: `${side === "before" ? "the run's document" : "the document compared"}: ${errorText(e)}`, nodeId, side });
  }
}
