import type { StreamingEvent } from "../../engine/streaming/events";

/** Where a run stands, as the dashboard shows it. */
export type RunStatus =
  | "starting"
  | "running"
  | "paused"
  | "waiting" // a source is unreachable; the run retries
  | "recovering" // restoring from a checkpoint
  | "stopping"
  | "stopped"
  | "failed";

export const FINAL_STATUSES: ReadonlySet<RunStatus> = new Set(["stopped", "failed"]);

/** One batch as the dashboard shows it, folded from the engine's batch events. */
export interface BatchSummary {
  batchTimeMs: number;
  status: "queued" | "processing" | "completed" | "failed";
  /** Records per input stream id. */
  inputSize: Record<string, number>;
  numRecords: number;
  schedulingDelayMs?: number;
  processingTimeMs?: number;
  totalDelayMs?: number;
  /** Records per stream id in this batch ("records on every wire"). */
  streamCounts: Record<string, number>;
  numOutputOps: number;
  numFailedOutputOps: number;
  errors: string[];
}

export interface PrintedBatch {
  nodeId: string;
  batchTimeMs: number;
  lines: string[];
}

export interface NodeErrorReport {
  nodeId: string;
  field?: string;
  message: string;
  /** The record at fault, as JSON text (capped). */
  record?: string;
  batchTimeMs?: number;
}

/** What a run's worker thread is started with. */
export interface RunWorkerData {
  runId: string;
  document: import("../../engine/pipeline/document").PipelineDocument;
  checkpointRoot?: string;
  /** Index + 1 of the node whose user function is running; 0 when none (shared memory). */
  busyNode: Int32Array;
}

/** Messages from a run's worker thread to the hub. */
export type WorkerMessage =
  | { type: "status"; status: RunStatus; message?: string; nodeId?: string }
  | { type: "events"; events: StreamingEvent[] }
  | { type: "print"; printed: PrintedBatch }
  | { type: "nodeError"; report: NodeErrorReport }
  | { type: "pong"; seq: number };

/** Messages from the hub to a run's worker thread. */
export type HubMessage =
  | { type: "pause" }
  | { type: "resume" }
  | { type: "step" }
  | { type: "stop"; graceful: boolean }
  | { type: "ping"; seq: number };

export interface RunSnapshot {
  runId: string;
  pipelineId: string | null;
  name: string;
  status: RunStatus;
  message?: string;
  errorNodeId?: string;
  startedAt: string;
  batchIntervalMs: number;
  batches: BatchSummary[];
  printed: PrintedBatch[];
  nodeErrors: NodeErrorReport[];
}
