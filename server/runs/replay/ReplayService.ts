import path from "node:path";
import { parsePipelineDocument, type PipelineDocument } from "../../../engine/pipeline/document";
import { checkRecording, parseRecordedBatch, type RecordingLimits } from "../../../engine/replay/recording";
import type { Recording } from "../../../engine/replay/types";
import type { Database } from "../../db/client";
import { limits as requestLimits } from "../../limits";
import { loadTables, lookupTablesOf } from "../../tables/store";
import { buildReplayBundle } from "./bundle";
import type { RecordingSummary, ReplayOutcome } from "./job";

export type { RecordingSummary };
import { loadReplayLimits, REPLAY_LIMIT_SETTINGS, type ReplayLimits } from "./limits";
import { runReplayProcess } from "./runReplay";

/** A request that cannot be served as asked (no such run, nothing recorded, batch not recorded): the message says why. */
export class ReplayRefused extends Error {
  override name = "ReplayRefused";
  constructor(
    message: string,
    readonly status: 404 | 409 | 429 = 409,
  ) {
    super(message);
  }
}

/** Replays at once; more wait no longer than this many, the rest are refused (each holds a process). */
const MAX_CONCURRENT = 2;

export interface ReplayServiceOptions {
  db: Database;
  /** The app's root folder. */
  root: string;
  maxHeapMb: number;
  limits?: ReplayLimits;
  /** Where replays keep their checkpoints while they run (default: data/replays). */
  replayRoot?: string;
  /** The replay process's entry; a test may substitute its own. */
  entry?: string;
}

/**
 * Records runs' first input batches (what the run processes send, within the caps, checked here
 * again since a run process runs user code) and replays them in processes of their own.
 */
export class ReplayService {
  readonly limits: ReplayLimits;
  private readonly recorded = new Map<string, { batches: number; bytes: number; ended?: string; writes: Promise<unknown> }>();
  private bundle: string | undefined;
  private running = 0;

  constructor(private readonly opts: ReplayServiceOptions) {
    this.limits = opts.limits ?? loadReplayLimits();
  }

  /** Batches a replay reads at most: a recording made under a higher cap (or with recording since turned off) stays replayable. */
  private get readCap(): number {
    return Math.max(this.limits.maxBatches, REPLAY_LIMIT_SETTINGS.maxBatches.default);
  }

  /** The caps a new run records within, or undefined when recording is off. */
  recordingCaps(): { maxBatches: number; maxBytes: number } | undefined {
    return this.limits.maxBatches > 0 ? { maxBatches: this.limits.maxBatches, maxBytes: this.limits.maxBytes } : undefined;
  }

  /** A batch a run process recorded; refused past the caps whatever the process claims. */
  record(runId: string, batchTimeMs: unknown, payload: unknown): void {
    const r = this.recorded.get(runId) ?? { batches: 0, bytes: 0, writes: Promise.resolve() };
    this.recorded.set(runId, r);
    if (r.ended) return;
    if (typeof payload !== "string" || typeof batchTimeMs !== "number" || !Number.isSafeInteger(batchTimeMs)) {
      r.ended = "the run sent a recorded batch that is not a time and JSON text; recording ended";
      return;
    }
    const bytes = Buffer.byteLength(payload, "utf8");
    if (r.batches + 1 > this.limits.maxBatches || r.bytes + bytes > this.limits.maxBytes) {
      r.ended = `recording cap reached (RECORD_MAX_BATCHES=${this.limits.maxBatches}, RECORD_MAX_BYTES=${this.limits.maxBytes})`;
      return;
    }
    r.batches++;
    r.bytes += bytes;
    r.writes = r.writes.then(() =>
      this.opts.db.recordedBatch
        .upsert({ where: { runId_batchTimeMs: { runId, batchTimeMs } }, create: { runId, batchTimeMs, bytes, payload }, update: { bytes, payload } })
        .catch((err: Error) => console.error(`run ${runId}: could not store recorded batch ${batchTimeMs} ms: ${err.message}`)),
    );
  }

  /** The run process recorded its last batch (a cap), and why. */
  recordingEnded(runId: string, reason: unknown): void {
    const r = this.recorded.get(runId) ?? { batches: 0, bytes: 0, writes: Promise.resolve() };
    r.ended ??= typeof reason === "string" ? reason.slice(0, 500) : "the run stopped recording";
    this.recorded.set(runId, r);
  }

  /** Waits until the batches received so far are stored (tests, shutdown). */
  async flush(runId?: string): Promise<void> {
    await Promise.all([...this.recorded].filter(([id]) => runId === undefined || id === runId).map(([, r]) => r.writes));
  }

  /** What a run has recorded. */
  async summary(runId: string): Promise<RecordingSummary> {
    const run = await this.runDocument(runId);
    await this.flush(runId);
    const rows = await this.opts.db.recordedBatch.findMany({ where: { runId }, select: { batchTimeMs: true, bytes: true }, orderBy: { batchTimeMs: "asc" } });
    return {
      runId,
      batchIntervalMs: run.settings.batchIntervalMs,
      batchTimesMs: rows.map((r) => r.batchTimeMs),
      bytes: rows.reduce((sum, r) => sum + r.bytes, 0),
      limits: { maxBatches: this.limits.maxBatches, maxBytes: this.limits.maxBytes },
      ended: this.recorded.get(runId)?.ended,
    };
  }

  /** Every recorded batch of `after` compared with the run's document, output by output, batch by batch. */
  compare(runId: string, after: PipelineDocument): Promise<ReplayOutcome> {
    return this.replay(runId, after);
  }

  /**
   * One batch again through `after`, beside what the run's document makes of it. The batches
   * before it are replayed too, so windows and state are those the run had before the batch.
   */
  replayBatch(runId: string, batchTimeMs: number, after: PipelineDocument): Promise<ReplayOutcome> {
    return this.replay(runId, after, batchTimeMs);
  }

  private async replay(runId: string, after: PipelineDocument, batchTimeMs?: number): Promise<ReplayOutcome> {
    if (this.running >= MAX_CONCURRENT) throw new ReplayRefused(`${MAX_CONCURRENT} replays are running; try again when one has finished`, 429);
    this.running++;
    try {
      const before = await this.runDocument(runId);
      const recording = await this.recording(runId, before.settings.batchIntervalMs, batchTimeMs);
      const tables = await loadTables(this.opts.db, [...new Set([...lookupTablesOf(before), ...lookupTablesOf(after)])]);
      return await runReplayProcess(
        { before, after, recording, batchTimeMs, tables },
        {
          root: this.opts.root,
          bundle: (this.bundle ??= buildReplayBundle(this.opts.root)),
          maxHeapMb: this.opts.maxHeapMb,
          timeLimitMs: this.limits.timeLimitMs,
          replayRoot: this.opts.replayRoot ?? path.join(this.opts.root, "data", "replays"),
          entry: this.opts.entry,
        },
      );
    } finally {
      this.running--;
    }
  }

  /** The run's own document, validated again (it was read from the database). */
  private async runDocument(runId: string): Promise<PipelineDocument> {
    const row = await this.opts.db.run.findUnique({ where: { id: runId }, select: { document: true } });
    if (!row) throw new ReplayRefused(`no run with id "${runId}"`, 404);
    let json: unknown;
    try {
      json = JSON.parse(row.document);
    } catch {
      throw new ReplayRefused(`run ${runId}: its stored document is not JSON`);
    }
    const parsed = parsePipelineDocument(json);
    if (!parsed.ok) throw new ReplayRefused(`run ${runId}: its stored document is no longer valid (${parsed.issues.map((i) => `${i.path}: ${i.message}`).join("; ")})`);
    return parsed.document;
  }

  /** The run's recorded batches up to `until`, each validated (the database is not trusted). */
  private async recording(runId: string, batchIntervalMs: number, until?: number): Promise<Recording> {
    await this.flush(runId);
    const rows = await this.opts.db.recordedBatch.findMany({
      where: { runId, ...(until === undefined ? {} : { batchTimeMs: { lte: until } }) },
      orderBy: { batchTimeMs: "asc" },
      take: this.readCap + 1,
    });
    if (rows.length === 0) {
      const any = await this.opts.db.recordedBatch.count({ where: { runId } });
      throw new ReplayRefused(any === 0 ? `run ${runId} recorded no input batches` : `run ${runId} recorded no batch at or before ${until} ms`);
    }
    if (until !== undefined && rows.at(-1)!.batchTimeMs !== until) {
      const summary = this.recorded.get(runId)?.ended;
      throw new ReplayRefused(
        `batch ${until} ms cannot be replayed: it was not recorded (a run records its first ${this.limits.maxBatches} batches and ${this.limits.maxBytes} bytes of input${summary ? `; ${summary}` : ""})`,
      );
    }
    const limits: RecordingLimits = {
      maxDepth: requestLimits().maxDepth,
      maxRecordsPerBatch: Math.max(1, this.limits.maxBytes),
      maxBatches: this.readCap,
    };
    const batches = rows.map((r) => parseRecordedBatch(r.batchTimeMs, r.payload, limits));
    return checkRecording({ batchIntervalMs, batches }, limits);
  }
}
