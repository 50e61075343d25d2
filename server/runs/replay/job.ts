import type { PipelineDocument } from "../../../engine/pipeline/document";
import type { BatchReplay, Recording, ReplayComparison } from "../../../engine/replay/types";

/** What a replay process is asked to do (RunWorkerData.replay). */
export interface ReplayJob {
  /** The run's own document: what the recorded batches went through. */
  before: PipelineDocument;
  /** The document to compare with it (the pipeline as edited, or one given on the command line). */
  after: PipelineDocument;
  /** Validated by the server before it is sent (recording.ts). */
  recording: Recording;
  /** Replay up to this batch and answer with it side by side; absent: compare every recorded batch. */
  batchTimeMs?: number;
  /** The rows of the lookup tables the documents read. */
  tables?: Record<string, Record<string, unknown>[]>;
}

/** A replay's answer: the comparison, one batch side by side, or what stopped it (naming the node and document when known). */
export type ReplayOutcome =
  | { ok: true; kind: "compare"; comparison: ReplayComparison }
  | { ok: true; kind: "batch"; batch: BatchReplay }
  | { ok: false; error: string; nodeId?: string; side?: "before" | "after" };

/** What a run has recorded, for the dashboard and the command line. */
export interface RecordingSummary {
  runId: string;
  batchIntervalMs: number;
  batchTimesMs: number[];
  bytes: number;
  limits: { maxBatches: number; maxBytes: number };
  /** Why the run records no more batches, when the server saw it end. */
  ended?: string;
}
