import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { replayableDocument } from "../../../engine/replay/replayDocument";
import { RunProcess } from "../process/RunProcess";
import type { RunWorkerData, WorkerMessage } from "../types";
import type { ReplayJob, ReplayOutcome } from "./job";
import { checkOutcome } from "./outcome";

export interface ReplayProcessOptions {
  /** The app's root folder (engine/, node_modules/). */
  root: string;
  /** The replay process's code (bundle.ts). */
  bundle: string;
  maxHeapMb: number;
  /** The replay is stopped past this long, naming the node whose function was running. */
  timeLimitMs: number;
  /** Where each replay's checkpoints go (a folder per replay, removed after). */
  replayRoot: string;
  /** The process's entry; a test may substitute its own. */
  entry?: string;
}

/**
 * Runs one replay in a process of its own, behind the same boundary as a live run (RunProcess:
 * Node's permission model, its own user, no server secrets; SES compartments inside), and
 * resolves with its checked answer. Never throws: what went wrong is an outcome with `ok: false`.
 */
export async function runReplayProcess(job: ReplayJob, opts: ReplayProcessOptions): Promise<ReplayOutcome> {
  const id = `replay-${randomUUID()}`;
  const checkpointDir = path.join(opts.replayRoot, id);
  // The permissions are computed from this document: sources read queues and nothing writes files.
  const permitted = replayableDocument(job.after, job.recording).document;
  const data: RunWorkerData = { runId: id, document: permitted, checkpointRoot: opts.replayRoot, replay: job };
  let child: RunProcess;
  try {
    child = new RunProcess(data, { root: opts.root, bundle: opts.bundle, maxHeapMb: opts.maxHeapMb, checkpointDir, entry: opts.entry });
  } catch (e) {
    return { ok: false, error: `the replay process could not start: ${(e as Error).message}` };
  }
  const nodeOf = (): string | undefined => {
    const { busyNode, lastNode } = child.sentinel;
    const index = busyNode > 0 ? busyNode : lastNode;
    return index > 0 ? permitted.nodes[index - 1]?.id : undefined;
  };
  try {
    return await new Promise<ReplayOutcome>((resolve) => {
      const timer = setTimeout(() => {
        const nodeId = nodeOf();
        resolve({
          ok: false,
          error: `the replay ran past its limit of ${(opts.timeLimitMs / 1000).toFixed(0)} s (REPLAY_TIME_LIMIT_MS) and was stopped${nodeId ? ` while node "${nodeId}" ran` : ""}`,
          nodeId,
        });
      }, opts.timeLimitMs);
      child.on("message", (msg: WorkerMessage) => {
        if (msg?.type !== "replayDone") return;
        clearTimeout(timer);
        resolve(checkOutcome(msg.outcome));
      });
      child.on("error", (err: Error) => {
        clearTimeout(timer);
        resolve({ ok: false, error: `the replay process failed: ${err.message}` });
      });
      child.on("exit", (code: number | null, signal: NodeJS.Signals | null) => {
        clearTimeout(timer);
        const nodeId = nodeOf();
        const heap = /heap out of memory|Reached heap limit/i.test(child.lastStderr);
        resolve({
          ok: false,
          error: heap
            ? `the replay used more than its memory limit of ${opts.maxHeapMb} MB`
            : `the replay process ended with ${signal ? `signal ${signal}` : `code ${code}`} before answering${nodeId ? ` (the last user function to run was node "${nodeId}")` : ""}`,
          nodeId,
        });
      });
    });
  } finally {
    await child.terminate();
    fs.rmSync(checkpointDir, { recursive: true, force: true });
  }
}
