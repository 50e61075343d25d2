import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { checkpointTimeOfFile } from "../../engine/checkpoint/Checkpoint";
import { appendRows, loadTables, lookupTablesOf } from "../tables/store";
import { parsePipelineDocument, type PipelineDocument } from "../../engine/pipeline/document";
import type { Database } from "../db/client";
import { foldSources } from "./aggregate/sources";
import { BatchLog } from "./BatchLog";
import { buildRunBundle } from "./process/bundle";
import { RunProcess } from "./process/RunProcess";
import { ReplayService } from "./replay/ReplayService";
import { RunStore, type RunHistory } from "./RunStore";
import { answerStateQuery } from "./state/answer";
import type { StateQuery, StateReply } from "./state/types";
import {
  FINAL_STATUSES,
  type BatchSummary,
  type CheckpointRecovery,
  type DeadLetterReport,
  type FlagReport,
  type HubMessage,
  type NodeErrorReport,
  type PrintedBatch,
  type RunSnapshot,
  type RunStatus,
  type RunTotals,
  type RunWorkerData,
  type WorkerMessage,
  type SourcesView,
} from "./types";

/** How the hub reaches the browsers watching a run (socket.io rooms in the server). */
export interface RunBroadcaster {
  /** Chart frames: may be dropped for a slow client; `seq` lets a client spot a dropped one. */
  frame(runId: string, batches: BatchSummary[], printed: PrintedBatch[], extra: { seq: number; totals: RunTotals }): void;
  /** Status changes and errors: never dropped. */
  status(runId: string, status: RunStatus, message?: string, nodeId?: string): void;
  nodeError(runId: string, report: NodeErrorReport): void;
  deadLetters?(runId: string, reports: DeadLetterReport[]): void;
  flags?(runId: string, reports: FlagReport[]): void;
  /** Damaged checkpoints met by a resuming run: never dropped. */
  recovery?(runId: string, recovery: CheckpointRecovery): void;
  /** The run's sources now: rates, Kafka offsets and lag (about once a second). */
  sources?(runId: string, sources: SourcesView): void;
}

/**
 * A recovery decision that does not apply (no such run, or no question pending). Recognise it by
 * `name`: route handlers are bundled by Next.js apart from the hub, so `instanceof` does not hold.
 */
export class RecoveryNotPending extends Error {
  override name = "RecoveryNotPending";
}

export interface RunHubOptions {
  db: Database;
  broadcaster: RunBroadcaster;
  /** The run process's entry; a test may substitute its own. */
  workerUrl?: URL;
  /** A run whose process answers no ping for this long (outside a batch) is stopped and marked failed (ms). */
  watchdogMs?: number;
  /**
   * A batch that runs longer than this is stopped with its run, naming the node whose user
   * function was running (ms). Default: `RUN_BATCH_LIMIT_MS`, else 10 batch intervals and at least 10 s.
   */
  batchLimitMs?: number;
  /** A run process's heap limit (MB). Default: `RUN_MAX_HEAP_MB`, else 2048. */
  maxHeapMb?: number;
  /** The run's code (process/bundle.ts builds it from server/runs/worker.ts); a benchmark may substitute its own build. */
  bundle?: string;
  /** At most one chart frame per run per this many ms, whatever the batch rate. */
  frameIntervalMs?: number;
  checkpointRoot?: string;
  /** Where dead letters, node errors, flags and batch summaries are persisted (default: on `db`). */
  store?: RunStore;
  /** A state query the thread does not answer within this long fails (ms). */
  stateQueryTimeoutMs?: number;
}

/** Statuses of runs that were live when the server went down, and are resumed at start. */
export const RESUMABLE_STATUSES: readonly RunStatus[] = ["starting", "running", "paused", "waiting", "recovering", "stopping"];

interface LiveRun {
  readonly runId: string;
  readonly pipelineId: string | null;
  readonly document: PipelineDocument;
  readonly worker: RunProcess;
  readonly startedAt: Date;
  readonly log: BatchLog;
  readonly printed: PrintedBatch[];
  readonly nodeErrors: NodeErrorReport[];
  readonly deadLetters: DeadLetterReport[];
  readonly flags: FlagReport[];
  stateStreams: string[];
  readonly stateQueries: Map<number, (reply: StateReply) => void>;
  /** Set while the server shuts down: the thread ends, but the run stays resumable. */
  suspending: boolean;
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
  /** Damaged checkpoints met when the run resumed. */
  recovery?: CheckpointRecovery;
  /** The latest source report, with lag histories. */
  sources?: SourcesView;
}

/** What the hub keeps of a run that has ended; the database keeps the rest. */
type EndedRun = Pick<LiveRun, "runId" | "pipelineId" | "startedAt" | "status" | "message" | "errorNodeId" | "frameSeq" | "recovery"> & {
  readonly name: string;
  readonly batchIntervalMs: number;
  readonly totals: RunTotals;
};

/** Ended runs the hub keeps a summary of (the oldest are forgotten first). */
const KEEP_ENDED = 200;

const KEEP_PRINTED = 100;
const KEEP_NODE_ERRORS = 200;
const KEEP_DEAD_LETTERS = 200;
const KEEP_FLAGS = 200;

/**
 * Runs pipelines, one OS process each (process/RunProcess.ts), so that a heavy, broken or
 * hostile pipeline cannot freeze or reach the server or the other runs. Folds each run's engine events into batch summaries, sends
 * rate-limited frames to the browsers watching it, and records each run's fate in the database.
 */
export class RunHub {
  private readonly runs = new Map<string, LiveRun>();
  /** Summaries of ended runs, oldest first; their processes, batches and records are released. */
  private readonly ended = new Map<string, EndedRun>();
  private readonly workerUrl: URL | undefined;
  private readonly root = fileURLToPath(new URL("../../", import.meta.url));
  private readonly watchdogMs: number;
  private readonly maxHeapMb: number;
  private bundle: string | undefined;
  private readonly frameIntervalMs: number;

  private readonly store: RunStore;
  private stateReqSeq = 0;
  /** Recorded input batches and replays of them (server/runs/replay/). */
  readonly replays: ReplayService;

  constructor(private readonly opts: RunHubOptions) {
    this.workerUrl = opts.workerUrl;
    this.watchdogMs = opts.watchdogMs ?? 10_000;
    this.maxHeapMb = opts.maxHeapMb ?? positiveEnv("RUN_MAX_HEAP_MB") ?? 2048;
    this.frameIntervalMs = opts.frameIntervalMs ?? 200;
    this.store = opts.store ?? new RunStore(opts.db);
    this.replays = new ReplayService({ db: opts.db, root: this.root, maxHeapMb: this.maxHeapMb });
  }

  /** The persisted records of runs (paged by the API routes). */
  get records(): RunStore {
    return this.store;
  }

  /** Starts a run of a validated document; resolves with its id once its thread is up. */
  async start(document: PipelineDocument, pipelineId: string | null): Promise<string> {
    const row = await this.opts.db.run.create({
      data: { pipelineId, document: JSON.stringify(document), status: "starting" },
    });
    this.launch(row.id, document, pipelineId, row.startedAt, "starting", undefined, await this.tablesFor(row.id, document));
    return row.id;
  }

  /**
   * Resumes the runs the database records as live (the server stopped or crashed under them),
   * under their own ids: from their checkpoint when the document checkpoints, else the same
   * document from the start; their batch history, dead letters, errors and flags are read back.
   * Resolves with the ids of the runs resumed.
   */
  async resumeInterrupted(): Promise<string[]> {
    const rows = await this.opts.db.run.findMany({ where: { status: { in: [...RESUMABLE_STATUSES] } }, orderBy: { startedAt: "asc" } });
    const resumed: string[] = [];
    for (const row of rows) {
      if (this.runs.has(row.id)) continue;
      const parsed = parsePipelineDocument(JSON.parse(row.document));
      if (!parsed.ok) {
        const why = parsed.issues.map((i) => `${i.path}: ${i.message}`).join("; ");
        await this.opts.db.run.update({
          where: { id: row.id },
          data: { status: "failed", error: `could not resume after a restart: its document is no longer valid (${why})`, endedAt: new Date() },
        });
        continue;
      }
      const history = await this.store.history(row.id);
      const wasPaused = row.status === "paused";
      const tables = await this.tablesFor(row.id, parsed.document);
      const run = this.launch(row.id, parsed.document, row.pipelineId, row.startedAt, "recovering", history, tables);
      await this.setStatus(
        run,
        "recovering",
        parsed.document.settings.checkpointing.enabled ? "restoring from its checkpoint after a server restart" : "restarting after a server restart",
      );
      if (wasPaused) run.worker.postMessage({ type: "pause" } satisfies HubMessage);
      resumed.push(row.id);
    }
    return resumed;
  }

  /** The lookup tables a run reads, loaded once at its start; a table that cannot be read fails the run's start loudly. */
  private async tablesFor(runId: string, document: PipelineDocument): Promise<Record<string, Record<string, unknown>[]>> {
    try {
      return await loadTables(this.opts.db, lookupTablesOf(document));
    } catch (err) {
      await this.opts.db.run
        .update({ where: { id: runId }, data: { status: "failed", error: `could not load its lookup tables: ${(err as Error).message}`, endedAt: new Date() } })
        .catch(() => undefined);
      throw err;
    }
  }

  private launch(
    runId: string,
    document: PipelineDocument,
    pipelineId: string | null,
    startedAt: Date,
    status: RunStatus,
    history?: RunHistory,
    tables?: Record<string, Record<string, unknown>[]>,
  ): LiveRun {
    const checkpointRoot = this.opts.checkpointRoot ?? path.join(this.root, "data", "checkpoints");
    const worker = new RunProcess(
      // A resumed run records nothing more: a recording stays consecutive from the run's first batch.
      { runId, document, checkpointRoot, resumed: history !== undefined, tables, recording: history ? undefined : this.replays.recordingCaps() } satisfies RunWorkerData,
      {
        root: this.root,
        // The run's heap is bounded so that a runaway pipeline fails alone.
        maxHeapMb: this.maxHeapMb,
        checkpointDir: document.settings.checkpointing.enabled ? path.join(checkpointRoot, runId) : undefined,
        entry: this.workerUrl ? fileURLToPath(this.workerUrl) : undefined,
        bundle: (this.bundle ??= this.opts.bundle ?? buildRunBundle(this.root)),
      },
    );
    const log = new BatchLog();
    if (history) log.restore(history.batches, history.totals);
    if (history) this.replays.recordingEnded(runId, "the run was resumed after a server restart, and a resumed run records no more batches");
    const run: LiveRun = {
      runId,
      pipelineId,
      document,
      worker,
      startedAt,
      log,
      printed: [],
      nodeErrors: history?.nodeErrors.slice(-KEEP_NODE_ERRORS) ?? [],
      deadLetters: history?.deadLetters.slice(-KEEP_DEAD_LETTERS) ?? [],
      flags: history?.flags.slice(-KEEP_FLAGS) ?? [],
      stateStreams: [],
      stateQueries: new Map(),
      suspending: false,
      status,
      dirtyBatches: new Map(),
      dirtyPrinted: [],
      frameSeq: 0,
      lastPongAt: Date.now(),
      pingSeq: 0,
      timers: [],
    };
    this.runs.set(run.runId, run);
    this.ended.delete(run.runId);
    worker.on("message", (msg: WorkerMessage) => this.onMessage(run, msg));
    worker.on("error", (err: Error) => void this.setStatus(run, "failed", `the run's process failed: ${err.message}`));
    worker.on("exit", (code: number | null, signal: NodeJS.Signals | null) => {
      for (const t of run.timers) clearInterval(t);
      this.flush(run);
      for (const answer of run.stateQueries.values()) answer({ ok: false, error: "the run's thread has ended" });
      run.stateQueries.clear();
      if (run.suspending) return; // the status stays as it was, so that the next start resumes it
      if (!FINAL_STATUSES.has(run.status)) {
        void this.setStatus(run, code === 0 ? "stopped" : "failed", code === 0 ? undefined : this.exitMessage(run, code, signal), code === 0 ? undefined : this.nodeOf(run));
      }
      this.retire(run);
    });
    run.timers.push(setInterval(() => this.flush(run), this.frameIntervalMs));
    run.timers.push(setInterval(() => this.watchdog(run), Math.min(1000, this.watchdogMs / 4)));
    return run;
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
    const exited = new Promise<void>((resolve) => run.worker.once("exit", () => resolve()));
    await this.setStatus(run, "stopping");
    run.worker.postMessage({ type: "stop", graceful } satisfies HubMessage);
    // A process that does not stop by itself within the watchdog time is killed.
    const deadline = setTimeout(() => void run.worker.terminate(), this.watchdogMs);
    await exited;
    clearTimeout(deadline);
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.runs.keys()].map((id) => this.stop(id)));
    await Promise.all([this.store.flush(), this.replays.flush()]);
  }

  /**
   * Ends every run's thread for a server shutdown without recording the runs as stopped, so that
   * the next start resumes them (as after a crash). Pending records are written first.
   */
  async suspendAll(): Promise<void> {
    const live = [...this.runs.values()].filter((r) => !FINAL_STATUSES.has(r.status));
    for (const run of live) {
      run.suspending = true;
      this.flush(run);
    }
    await Promise.all(live.map((r) => r.worker.terminate()));
    await Promise.all([this.store.flush(), this.replays.flush()]);
  }

  /** Asks a run's thread for a page of state, a diff or a series; fails after the query timeout. */
  queryState(runId: string, query: StateQuery): Promise<StateReply> {
    const run = this.runs.get(runId);
    // An ended run (or one from before a restart): its last stored snapshot answers.
    if (!run || FINAL_STATUSES.has(run.status)) return this.queryStoredState(runId, query, run?.status ?? this.ended.get(runId)?.status);
    const reqId = ++this.stateReqSeq;
    return new Promise<StateReply>((resolve) => {
      const timer = setTimeout(() => {
        run.stateQueries.delete(reqId);
        resolve({ ok: false, error: `run "${runId}" did not answer the state query within ${this.opts.stateQueryTimeoutMs ?? 5000} ms` });
      }, this.opts.stateQueryTimeoutMs ?? 5000);
      run.stateQueries.set(reqId, (reply) => {
        clearTimeout(timer);
        resolve(reply);
      });
      run.worker.postMessage({ type: "stateQuery", reqId, query } satisfies HubMessage);
    });
  }

  private async queryStoredState(runId: string, query: StateQuery, status: RunStatus | undefined): Promise<StateReply> {
    try {
      const trackers = await this.store.storedState(runId);
      if (trackers.size === 0) {
        const known = status !== undefined || (await this.opts.db.run.count({ where: { id: runId } })) > 0;
        return {
          ok: false,
          error: known
            ? `run "${runId}" ${status ? `has ${status} and ` : ""}stored no state snapshot (it has no state node, or it ended before its first batch)`
            : `no run with id "${runId}" is known to this server`,
        };
      }
      return { ok: true, result: answerStateQuery(trackers, query) };
    } catch (e) {
      return { ok: false, error: `the stored state of run "${runId}": ${(e as Error).message}` };
    }
  }

  snapshot(runId: string): RunSnapshot | undefined {
    const run = this.runs.get(runId);
    if (!run) {
      const e = this.ended.get(runId);
      if (!e) return undefined;
      return {
        runId: e.runId,
        pipelineId: e.pipelineId,
        name: e.name,
        status: e.status,
        message: e.message,
        errorNodeId: e.errorNodeId,
        startedAt: e.startedAt.toISOString(),
        batchIntervalMs: e.batchIntervalMs,
        batches: [],
        printed: [],
        nodeErrors: [],
        totals: e.totals,
        frameSeq: e.frameSeq,
        recovery: e.recovery,
        ended: true,
      };
    }
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
      flags: [...run.flags],
      stateStreams: [...run.stateStreams],
      totals: run.log.totals(),
      frameSeq: run.frameSeq,
      recovery: run.recovery,
      sources: run.sources,
    };
  }

  /** The runs this hub hosts, then the ended ones it remembers. */
  list(): { runId: string; pipelineId: string | null; name: string; status: RunStatus }[] {
    return [
      ...[...this.runs.values()].map((r) => ({ runId: r.runId, pipelineId: r.pipelineId, name: r.document.name, status: r.status })),
      ...[...this.ended.values()].map((r) => ({ runId: r.runId, pipelineId: r.pipelineId, name: r.name, status: r.status })),
    ];
  }

  /** How many runs hold a thread and their recent batches in memory (the others are summaries). */
  get liveCount(): number {
    return this.runs.size;
  }

  /** What a resumed run found wrong with its checkpoints, live or ended. */
  recovery(runId: string): CheckpointRecovery | undefined {
    return (this.runs.get(runId) ?? this.ended.get(runId))?.recovery;
  }

  /**
   * The user's answer for a run that found no usable checkpoint: `fresh` moves the damaged files
   * aside (renamed `damaged-<name>`, kept for inspection) and resumes the run from scratch under
   * its id, with its recorded history; `keep-stopped` records that it stays stopped. Throws with
   * a message for the client when there is no such question pending.
   */
  async decideRecovery(runId: string, choice: "fresh" | "keep-stopped"): Promise<void> {
    // The process that reported "no usable checkpoint" may not have exited yet (it is ended within
    // moments): a user who answers at once must not be told the run is live.
    const asking = this.runs.get(runId);
    if (asking && FINAL_STATUSES.has(asking.status) && asking.recovery?.needsDecision) await asking.worker.terminate();
    const e = this.ended.get(runId);
    const pending = e?.recovery?.needsDecision && !e.recovery.decision;
    if (!e || !pending) {
      throw new RecoveryNotPending(
        this.runs.has(runId)
          ? `run ${runId} is live; there is nothing to decide`
          : e
            ? `run ${runId} is not waiting for a decision about its checkpoints${e.recovery?.decision ? ` (it was decided: ${e.recovery.decision})` : ""}`
            : `run ${runId} is not known to this server`,
      );
    }
    e.recovery = { ...e.recovery!, decision: choice };
    if (choice === "keep-stopped") return;
    const dir = path.join(this.opts.checkpointRoot ?? path.join(process.cwd(), "data", "checkpoints"), runId);
    for (const name of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
      if (checkpointTimeOfFile(name) !== undefined) fs.renameSync(path.join(dir, name), path.join(dir, `damaged-${name}`));
    }
    const row = await this.opts.db.run.findUnique({ where: { id: runId } });
    if (!row) throw new RecoveryNotPending(`run ${runId} is no longer in the database`);
    const parsed = parsePipelineDocument(JSON.parse(row.document));
    if (!parsed.ok) throw new RecoveryNotPending(`run ${runId}: its document is no longer valid`);
    const history = await this.store.history(runId);
    const tables = await this.tablesFor(runId, parsed.document);
    const run = this.launch(runId, parsed.document, row.pipelineId, row.startedAt, "recovering", history, tables);
    run.recovery = e.recovery;
    await this.setStatus(run, "recovering", "resuming from scratch: its damaged checkpoints were moved aside (damaged-checkpoint-*)");
  }

  /** Terminates a run's thread if it has not exited by itself within the watchdog time. */
  private endLingering(run: LiveRun): void {
    const timer = setTimeout(() => void run.worker.terminate(), Math.min(this.watchdogMs, 2000));
    timer.unref();
    run.worker.once("exit", () => clearTimeout(timer));
  }

  /** A run's thread has ended: keep its summary, release the rest (the database has it). */
  private retire(run: LiveRun): void {
    if (run.suspending || this.runs.get(run.runId) !== run) return;
    this.runs.delete(run.runId);
    this.ended.set(run.runId, {
      runId: run.runId,
      pipelineId: run.pipelineId,
      name: run.document.name,
      batchIntervalMs: run.document.settings.batchIntervalMs,
      startedAt: run.startedAt,
      status: run.status,
      message: run.message,
      errorNodeId: run.errorNodeId,
      frameSeq: run.frameSeq,
      totals: run.log.totals(),
      recovery: run.recovery,
    });
    while (this.ended.size > KEEP_ENDED) this.ended.delete(this.ended.keys().next().value!);
  }

  private send(runId: string, msg: HubMessage): void {
    const run = this.runs.get(runId);
    if (!run) throw new Error(this.ended.has(runId) ? `run "${runId}" has already ${this.ended.get(runId)!.status}` : `no run with id "${runId}"`);
    if (FINAL_STATUSES.has(run.status)) throw new Error(`run "${runId}" has already ${run.status}`);
    run.worker.postMessage(msg);
  }

  private onMessage(run: LiveRun, msg: WorkerMessage): void {
    switch (msg.type) {
      case "pong":
        run.lastPongAt = Date.now();
        return;
      case "sources":
        run.sources = foldSources(run.sources, msg.report);
        this.opts.broadcaster.sources?.(run.runId, run.sources);
        return;
      case "status":
        void this.setStatus(run, msg.status, msg.message, msg.nodeId);
        // A thread that reports its end but lingers (a failed start leaves its port open) is ended, so that it is released.
        if (FINAL_STATUSES.has(msg.status)) this.endLingering(run);
        return;
      case "events":
        run.lastPongAt = Date.now();
        for (const event of msg.events) {
          const changed = run.log.apply(event);
          if (changed) this.changed(run, changed);
        }
        return;
      case "tableRows":
        // A database table output: rows are appended in arrival order; a bad row fails the node loudly.
        void appendRows(this.opts.db, msg.table, msg.rows).catch((err: Error) => {
          const report: NodeErrorReport = { nodeId: `table:${msg.table}`, message: err.message, batchTimeMs: msg.batchTimeMs };
          run.nodeErrors.push(report);
          this.opts.broadcaster.nodeError(run.runId, report);
        });
        return;
      case "flags": {
        run.flags.push(...msg.reports);
        if (run.flags.length > KEEP_FLAGS) run.flags.splice(0, run.flags.length - KEEP_FLAGS);
        const perBatch = new Map<string, { nodeId: string; batchTimeMs: number; n: number }>();
        for (const r of msg.reports) {
          const key = `${r.nodeId}|${r.batchTimeMs}`;
          const e = perBatch.get(key) ?? { nodeId: r.nodeId, batchTimeMs: r.batchTimeMs, n: 0 };
          e.n++;
          perBatch.set(key, e);
        }
        for (const e of perBatch.values()) this.changed(run, run.log.addFlags(e.batchTimeMs, e.nodeId, e.n));
        this.store.noteDropped("flags", run.runId, msg.dropped);
        void this.store.flags(run.runId, run.pipelineId, msg.reports).then(() => {
          // The run's thread may have ended meanwhile; then nobody waits for the answer.
          if (!FINAL_STATUSES.has(run.status)) run.worker.postMessage({ type: "flagsStored", ackId: msg.ackId } satisfies HubMessage);
        });
        this.opts.broadcaster.flags?.(run.runId, msg.reports);
        return;
      }
      case "stateStreams":
        run.stateStreams = msg.streamIds;
        return;
      case "checkpointRecovery":
        run.recovery = msg.recovery;
        console.warn(`run ${run.runId}: ${msg.recovery.message}`);
        this.opts.broadcaster.recovery?.(run.runId, msg.recovery);
        // No usable checkpoint: the run stays stopped (not failed, not started over) until the user decides.
        if (msg.recovery.needsDecision) {
          void this.setStatus(run, "stopped", msg.recovery.message);
          this.endLingering(run);
        }
        return;
      case "stateSnapshot":
        if (Array.isArray(msg.snapshots)) this.store.stateSnapshots(run.runId, msg.snapshots);
        return;
      case "stateBatch":
        this.changed(run, run.log.setState(msg.batchTimeMs, msg.streamId, msg.counts));
        return;
      case "stateReply": {
        const answer = run.stateQueries.get(msg.reqId);
        run.stateQueries.delete(msg.reqId);
        answer?.(msg.reply);
        return;
      }
      case "recordedBatch":
        this.replays.record(run.runId, msg.batchTimeMs, msg.payload);
        return;
      case "recordingEnded":
        this.replays.recordingEnded(run.runId, msg.reason);
        return;
      case "replayDone":
        return; // only replay processes send it
      case "print":
        run.printed.push(msg.printed);
        if (run.printed.length > KEEP_PRINTED) run.printed.shift();
        run.dirtyPrinted.push(msg.printed);
        return;
      case "deadLetters":
        run.deadLetters.push(...msg.reports);
        if (run.deadLetters.length > KEEP_DEAD_LETTERS) run.deadLetters.splice(0, run.deadLetters.length - KEEP_DEAD_LETTERS);
        this.store.deadLetters(run.runId, run.pipelineId, msg.reports);
        this.opts.broadcaster.deadLetters?.(run.runId, msg.reports);
        return;
      case "nodeError":
        run.nodeErrors.push(msg.report);
        if (run.nodeErrors.length > KEEP_NODE_ERRORS) run.nodeErrors.shift();
        this.store.nodeError(run.runId, run.pipelineId, msg.report);
        this.opts.broadcaster.nodeError(run.runId, msg.report);
        return;
    }
  }

  /** A batch changed: it goes out with the next frame, and to the database once it is final. */
  private changed(run: LiveRun, batch: BatchSummary): void {
    run.dirtyBatches.set(batch.batchTimeMs, batch);
    if (batch.status === "completed" || batch.status === "failed") this.store.batch(run.runId, batch, run.log.totals());
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

  /** The batch limit of a run: see RunHubOptions.batchLimitMs. */
  private batchLimitMs(run: LiveRun): number {
    return this.opts.batchLimitMs ?? positiveEnv("RUN_BATCH_LIMIT_MS") ?? Math.max(10 * run.document.settings.batchIntervalMs, 10_000);
  }

  /** The node whose user function runs now, else the last one that ran (from the run's sentinel). */
  private nodeOf(run: LiveRun, busyOnly = false): string | undefined {
    const { busyNode, lastNode } = run.worker.sentinel;
    const index = busyNode > 0 ? busyNode : busyOnly ? 0 : lastNode;
    return index > 0 ? run.document.nodes[index - 1]?.id : undefined;
  }

  private exitMessage(run: LiveRun, code: number | null, signal: NodeJS.Signals | null): string {
    const nodeId = this.nodeOf(run);
    const where = nodeId ? ` (the last user function to run was node "${nodeId}")` : "";
    if (/heap out of memory|Reached heap limit/i.test(run.worker.lastStderr)) {
      return `the run used more than its memory limit of ${this.maxHeapMb} MB and was stopped${where}`;
    }
    return `the run's process ended with ${signal ? `signal ${signal}` : `code ${code}`}${where}`;
  }

  /**
   * Stops a run whose batch overruns its limit, naming the node inside user code, or whose
   * process stops answering outside a batch (a user function that never returns at compile
   * time, a promise job that loops); the other runs and the server go on.
   */
  private watchdog(run: LiveRun): void {
    if (FINAL_STATUSES.has(run.status) || run.worker.hasExited) return;
    const now = Date.now();
    const { batchStartedAt } = run.worker.sentinel;
    const limit = this.batchLimitMs(run);
    if (batchStartedAt > 0 && now - batchStartedAt > limit) {
      const nodeId = this.nodeOf(run, true);
      const seconds = (limit / 1000).toFixed(limit < 10_000 ? 1 : 0);
      const message = nodeId
        ? `node "${nodeId}": its function did not return, and the batch ran past its limit of ${seconds} s, so the run was stopped`
        : `a batch ran past its limit of ${seconds} s, so the run was stopped${this.nodeOf(run) ? ` (the last user function to run was node "${this.nodeOf(run)}")` : ""}`;
      void this.setStatus(run, "failed", message, nodeId ?? this.nodeOf(run));
      void run.worker.terminate();
      return;
    }
    // Inside a batch or a user function the main thread may be busy for long: the batch limit
    // governs it, and the sentinel thread, which still reports, shows the process is alive.
    const working = batchStartedAt > 0 || run.worker.sentinel.busyNode > 0;
    const silent = working ? now - run.worker.sentinel.receivedAt : now - run.lastPongAt;
    // A user function outside any batch (its source evaluated at compile time, a promise job) gets the batch limit too.
    const busyTooLong = working && batchStartedAt === 0 && now - run.worker.sentinel.busySince > limit;
    if (silent > this.watchdogMs || busyTooLong) {
      const seconds = ((busyTooLong ? limit : this.watchdogMs) / 1000).toFixed(0);
      const nodeId = this.nodeOf(run, true);
      const message = nodeId
        ? `node "${nodeId}": its function did not return within ${seconds} s, so the run was stopped`
        : `the run stopped responding for ${seconds} s and was stopped${this.nodeOf(run) ? ` (the last user function to run was node "${this.nodeOf(run)}")` : ""}`;
      void this.setStatus(run, "failed", message, nodeId ?? this.nodeOf(run));
      void run.worker.terminate();
      return;
    }
    run.worker.postMessage({ type: "ping", seq: ++run.pingSeq } satisfies HubMessage);
  }

  private async setStatus(run: LiveRun, status: RunStatus, message?: string, nodeId?: string): Promise<void> {
    if (FINAL_STATUSES.has(run.status) && status !== run.status) return; // a final status sticks
    if (run.suspending) return; // a shutdown is not the run's fate
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

/** A positive number from the environment, or undefined. */
function positiveEnv(name: string): number | undefined {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : undefined;
}
