import { Worker } from "node:worker_threads";
import type { PipelineDocument } from "../../engine/pipeline/document";
import type { Database } from "../db/client";
import { BatchLog } from "./BatchLog";
import {
  FINAL_STATUSES,
  type BatchSummary,
  type DeadLetterReport,
  type HubMessage,
  type NodeErrorReport,
  type PrintedBatch,
  type RunSnapshot,
  type RunStatus,
  type RunTotals,
  type RunWorkerData,
  type WorkerMessage,
} from "./types";

/** How the hub reaches the browsers watching a run (socket.io rooms in the server). */
export interface RunBroadcaster {
  /** Chart frames: may be dropped for a slow client; `seq` lets a client spot a dropped one. */
  frame(runId: string, batches: BatchSummary[], printed: PrintedBatch[], extra: { seq: number; totals: RunTotals }): void;
  /** Status changes and errors: never dropped. */
  status(runId: string, status: RunStatus, message?: string, nodeId?: string): void;
  nodeError(runId: string, report: NodeErrorReport): void;
  deadLetters?(runId: string, reports: DeadLetterReport[]): void;
}

export interface RunHubOptions {
  db: Database;
  broadcaster: RunBroadcaster;
  /** The worker entry; a test may substitute its own. */
  workerUrl?: URL;
  /** A run whose thread answers no ping for this long is stopped and marked failed (ms). */
  watchdogMs?: number;
  /** At most one chart frame per run per this many ms, whatever the batch rate. */
  frameIntervalMs?: number;
  checkpointRoot?: string;
}

interface LiveRun {
  readonly runId: string;
  readonly pipelineId: string | null;
  readonly document: PipelineDocument;
  readonly worker: Worker;
  readonly busyNode: Int32Array;
  readonly startedAt: Date;
  readonly log: BatchLog;
  readonly printed: PrintedBatch[];
  readonly nodeErrors: NodeErrorReport[];
  readonly deadLetters: DeadLetterReport[];
  status: RunStatus;
  message?: string;
  errorNodeId?: string;
  /** Batches and printed output changed since the last frame. */
  dirtyBatches: Map<number, BatchSummary>;
  dirtyPrinted: PrintedBatch[];
  /** Frames sent so far. */
  frameSeq: number;
  lastPongAt: number;
  pingSeq: number;
  timers: ReturnType<typeof setInterval>[];
}

const KEEP_PRINTED = 100;
const KEEP_NODE_ERRORS = 200;
const KEEP_DEAD_LETTERS = 200;

/**
 * Runs pipelines, one worker thread each, so that a heavy or broken pipeline cannot freeze
 * the server or the other runs. Folds each run's engine events into batch summaries, sends
 * rate-limited frames to the browsers watching it, and records each run's fate in the database.
 */
export class RunHub {
  private readonly runs = new Map<string, LiveRun>();
  private readonly workerUrl: URL;
  private readonly watchdogMs: number;
  private readonly frameIntervalMs: number;

  constructor(private readonly opts: RunHubOptions) {
    this.workerUrl = opts.workerUrl ?? new URL("./worker-entry.mjs", import.meta.url);
    this.watchdogMs = opts.watchdogMs ?? 10_000;
    this.frameIntervalMs = opts.frameIntervalMs ?? 200;
  }

  /** Starts a run of a validated document; resolves with its id once its thread is up. */
  async start(document: PipelineDocument, pipelineId: string | null): Promise<string> {
    const row = await this.opts.db.run.create({
      data: { pipelineId, document: JSON.stringify(document), status: "starting" },
    });
    // The worker writes here which node's user function it is inside (index + 1, 0 for none),
    // so that a run stopped by the watchdog can name the node that hung.
    const busyNode = new Int32Array(new SharedArrayBuffer(4));
    const worker = new Worker(this.workerUrl, {
      workerData: { runId: row.id, document, checkpointRoot: this.opts.checkpointRoot, busyNode } satisfies RunWorkerData,
      // The run's heap is bounded so that a runaway pipeline fails alone.
      resourceLimits: { maxOldGenerationSizeMb: 2048 },
    });
    const run: LiveRun = {
      runId: row.id,
      pipelineId,
      document,
      worker,
      busyNode,
      startedAt: row.startedAt,
      log: new BatchLog(),
      printed: [],
      nodeErrors: [],
      deadLetters: [],
      status: "starting",
      dirtyBatches: new Map(),
      dirtyPrinted: [],
      frameSeq: 0,
      lastPongAt: Date.now(),
      pingSeq: 0,
      timers: [],
    };
    this.runs.set(run.runId, run);
    worker.on("message", (msg: WorkerMessage) => this.onMessage(run, msg));
    worker.on("error", (err) => void this.setStatus(run, "failed", `the run's thread failed: ${err.message}`));
    worker.on("exit", (code) => {
      for (const t of run.timers) clearInterval(t);
      this.flush(run);
      if (!FINAL_STATUSES.has(run.status)) {
        void this.setStatus(run, code === 0 ? "stopped" : "failed", code === 0 ? undefined : `the run's thread exited with code ${code}`);
      }
    });
    run.timers.push(setInterval(() => this.flush(run), this.frameIntervalMs));
    run.timers.push(setInterval(() => this.watchdog(run), Math.min(1000, this.watchdogMs / 4)));
    return run.runId;
  }

  pause(runId: string): void {
    this.send(runId, { type: "pause" });
  }

  resume(runId: string): void {
    this.send(runId, { type: "resume" });
  }

  step(runId: string): void {
    this.send(runId, { type: "step" });
  }

  /** Asks the run to stop (gracefully: the batches already received are processed first). */
  async stop(runId: string, graceful = false): Promise<void> {
    const run = this.runs.get(runId);
    if (!run || FINAL_STATUSES.has(run.status)) return;
    await this.setStatus(run, "stopping");
    run.worker.postMessage({ type: "stop", graceful } satisfies HubMessage);
    // A thread that does not stop by itself within the watchdog time is terminated.
    const deadline = setTimeout(() => void run.worker.terminate(), this.watchdogMs);
    await new Promise<void>((resolve) => run.worker.once("exit", () => resolve()));
    clearTimeout(deadline);
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.runs.keys()].map((id) => this.stop(id)));
  }

  snapshot(runId: string): RunSnapshot | undefined {
    const run = this.runs.get(runId);
    if (!run) return undefined;
    return {
      runId: run.runId,
      pipelineId: run.pipelineId,
      name: run.document.name,
      status: run.status,
      message: run.message,
      errorNodeId: run.errorNodeId,
      startedAt: run.startedAt.toISOString(),
      batchIntervalMs: run.document.settings.batchIntervalMs,
      batches: run.log.list(),
      printed: [...run.printed],
      nodeErrors: [...run.nodeErrors],
      deadLetters: [...run.deadLetters],
      totals: run.log.totals(),
      frameSeq: run.frameSeq,
    };
  }

  list(): { runId: string; pipelineId: string | null; name: string; status: RunStatus }[] {
    return [...this.runs.values()].map((r) => ({ runId: r.runId, pipelineId: r.pipelineId, name: r.document.name, status: r.status }));
  }

  private send(runId: string, msg: HubMessage): void {
    const run = this.runs.get(runId);
    if (!run) throw new Error(`no run with id "${runId}"`);
    if (FINAL_STATUSES.has(run.status)) throw new Error(`run "${runId}" has already ${run.status}`);
    run.worker.postMessage(msg);
  }

  private onMessage(run: LiveRun, msg: WorkerMessage): void {
    switch (msg.type) {
      case "pong":
        run.lastPongAt = Date.now();
        return;
      case "status":
        void this.setStatus(run, msg.status, msg.message, msg.nodeId);
        return;
      case "events":
        run.lastPongAt = Date.now();
        for (const event of msg.events) {
          const changed = run.log.apply(event);
          if (changed) run.dirtyBatches.set(changed.batchTimeMs, changed);
        }
        return;
      case "print":
        run.printed.push(msg.printed);
        if (run.printed.length > KEEP_PRINTED) run.printed.shift();
        run.dirtyPrinted.push(msg.printed);
        return;
      case "deadLetters":
        run.deadLetters.push(...msg.reports);
        if (run.deadLetters.length > KEEP_DEAD_LETTERS) run.deadLetters.splice(0, run.deadLetters.length - KEEP_DEAD_LETTERS);
        this.opts.broadcaster.deadLetters?.(run.runId, msg.reports);
        return;
      case "nodeError":
        run.nodeErrors.push(msg.report);
        if (run.nodeErrors.length > KEEP_NODE_ERRORS) run.nodeErrors.shift();
        this.opts.broadcaster.nodeError(run.runId, msg.report);
        return;
    }
  }

  private flush(run: LiveRun): void {
    if (run.dirtyBatches.size === 0 && run.dirtyPrinted.length === 0) return;
    const batches = [...run.dirtyBatches.values()];
    const printed = run.dirtyPrinted;
    run.dirtyBatches = new Map();
    run.dirtyPrinted = [];
    run.frameSeq++;
    this.opts.broadcaster.frame(run.runId, batches, printed, { seq: run.frameSeq, totals: run.log.totals() });
  }

  private watchdog(run: LiveRun): void {
    if (FINAL_STATUSES.has(run.status)) return;
    if (Date.now() - run.lastPongAt > this.watchdogMs) {
      const seconds = Math.round(this.watchdogMs / 1000);
      const busy = Atomics.load(run.busyNode, 0);
      const nodeId = busy > 0 ? run.document.nodes[busy - 1]?.id : undefined;
      void run.worker.terminate();
      const message = nodeId
        ? `node "${nodeId}": its function did not return within ${seconds} s, so the run was stopped`
        : `the run stopped responding for ${seconds} s and was stopped`;
      void this.setStatus(run, "failed", message, nodeId);
      return;
    }
    run.worker.postMessage({ type: "ping", seq: ++run.pingSeq } satisfies HubMessage);
  }

  private async setStatus(run: LiveRun, status: RunStatus, message?: string, nodeId?: string): Promise<void> {
    if (FINAL_STATUSES.has(run.status) && status !== run.status) return; // a final status sticks
    run.status = status;
    run.message = message;
    if (nodeId) run.errorNodeId = nodeId;
    this.opts.broadcaster.status(run.runId, status, message, nodeId);
    await this.opts.db.run
      .update({
        where: { id: run.runId },
        data: {
          status,
          error: status === "failed" ? (message ?? null) : null,
          errorNodeId: nodeId ?? null,
          endedAt: FINAL_STATUSES.has(status) ? new Date() : null,
        },
      })
      .catch((err: Error) => console.error(`run ${run.runId}: could not record status ${status}: ${err.message}`));
  }
}
