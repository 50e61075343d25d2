import type { FraudFlag } from "../../engine/pipeline/fraud/flags";
import type { StreamingEvent } from "../../engine/streaming/events";
import type { StateChangeCounts, StateQuery, StateReply, StoredStateSnapshot } from "./state/types";

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
  /**
   * The first records per stream id, formatted as `print` shows them. Kept for the most recent
   * batches only (BatchLog's `detailBatches`), so that a joining browser's history stays small.
   */
  samples?: Record<string, string[]>;
  /** The engine's name per stream id, for the streams that computed in this batch (recent batches only). */
  streamNames?: Record<string, string>;
  /** The windows computed at this batch time, one per windowed stream (recent batches only). */
  windows?: WindowSpan[];
  /** Keys added, updated, removed and timed out per state stream id (`<nodeId>:<port>`). */
  state?: Record<string, StateChangeCounts>;
  /** Fraud flags raised in this batch, per flags node. */
  flags?: Record<string, number>;
  /** The Kafka offset ranges each input stream read in this batch (Spark's direct stream metadata). */
  offsetRanges?: Record<string, OffsetRangeView[]>;
}

/** Offsets `fromOffset` (inclusive) to `untilOffset` (exclusive) of one topic partition. */
export interface OffsetRangeView {
  topic: string;
  partition: number;
  fromOffset: number;
  untilOffset: number;
}

/** One receiver stream's rate control now (engine's ReceiverRateStatus). */
export interface SourceRateView {
  streamId: string;
  receiverName: string;
  /** Records/s allowed now; null when nothing limits the stream. */
  rate: number | null;
  /** The source's fixed maximum in records/s, if any. */
  maxRate: number | null;
  backpressure: boolean;
  /** The PID estimator's latest rate, null before its first estimate. */
  estimatedRate: number | null;
  /** Input waiting for a batch: received and not yet in a batch, held back by the limit, or (Kafka) still at the broker. */
  waiting: number;
}

/** One topic partition of a Kafka source, for the source's consumer group. */
export interface KafkaPartitionReport {
  topic: string;
  partition: number;
  /** The group's committed offset; null before its first commit. */
  committed: number | null;
  /** End (latest) offset. */
  end: number;
  /** end - committed. */
  lag: number;
}

export interface KafkaSourceReport {
  streamId: string;
  groupId: string;
  topics: string[];
  partitions: KafkaPartitionReport[];
  /** Why the offsets could not be read this time. */
  error?: string;
}

/** What a run process samples about its sources, about once a second (wall-clock time, also while paused). */
export interface SourcesReport {
  timeMs: number;
  rates: SourceRateView[];
  kafka: KafkaSourceReport[];
}

/** A partition's lag at one sample. */
export interface LagSample {
  timeMs: number;
  lag: number;
}

/** The sources as the dashboard shows them: the latest report, with each partition's recent lag. */
export interface SourcesView {
  timeMs: number;
  rates: SourceRateView[];
  kafka: KafkaSourceView[];
}

export interface KafkaSourceView extends Omit<KafkaSourceReport, "partitions"> {
  partitions: KafkaPartitionView[];
}

export interface KafkaPartitionView extends KafkaPartitionReport {
  /** Lag at recent samples, oldest first. */
  lagHistory: LagSample[];
}

/**
 * One window computed by a windowed stream at a batch time: it covers the parent batches with
 * times in (windowStartMs, windowEndMs]. The inverse form also says which batches entered and
 * which left since the previous window.
 */
export interface WindowSpan {
  streamId: string;
  streamName: string;
  windowStartMs: number;
  windowEndMs: number;
  windowDurationMs: number;
  slideDurationMs: number;
  coveredTimesMs: number[];
  enteredTimesMs?: number[];
  leftTimesMs?: number[];
}

/** Counts over the whole run, not only the retained batches (Spark's header line). */
export interface RunTotals {
  completedBatches: number;
  failedBatches: number;
  /** Records of all completed batches. */
  totalRecords: number;
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

/** A record a dead-letter output received: what could not be parsed, and why. */
export interface DeadLetterReport {
  nodeId: string;
  batchTimeMs: number;
  /** The record as text (capped), e.g. `{id, originalMessage, error}` from a CSV parser. */
  record: string;
}

/** The possible frauds one fraud flags node raised in one batch. */
export interface FlagReport {
  nodeId: string;
  batchTimeMs: number;
  flag: FraudFlag;
}

/** What a run process is started with (the hub's first message to it). */
export interface RunWorkerData {
  runId: string;
  document: import("../../engine/pipeline/document").PipelineDocument;
  checkpointRoot?: string;
  /** Set when the run is resumed after a server restart: recover from the checkpoint if there is one. */
  resumed?: boolean;
  /** The rows of the tables the document's lookup joins read, as they were when the run started. */
  tables?: Record<string, Record<string, unknown>[]>;
  /** Record the run's first input batches within these caps (server/runs/replay/limits.ts); absent: no recording. */
  recording?: { maxBatches: number; maxBytes: number };
  /** Set for a replay process (server/runs/replay/): what to replay instead of running the document. */
  replay?: import("./replay/job").ReplayJob;
}

/** A checkpoint file a resuming run refused, and why. */
export interface SkippedCheckpoint {
  /** The file's name (in the run's checkpoint directory). */
  file: string;
  /** empty, truncated, checksum, version, format, undecodable or unreadable. */
  kind: string;
  reason: string;
}

/**
 * What a run resuming after a restart found among its checkpoints, when anything was wrong: the
 * files it skipped, the older one it fell back to, or that none was usable (then the run stays
 * stopped until the user decides: resume from scratch, or keep it stopped).
 */
export interface CheckpointRecovery {
  skipped: SkippedCheckpoint[];
  /** The file the run restored from, when one verified. */
  restoredFrom?: string;
  /** No file was usable: the run waits for the user's choice. */
  needsDecision: boolean;
  /** The user's choice, once made. */
  decision?: "fresh" | "keep-stopped";
  /** The whole story in one message, as the log and the run page show it. */
  message: string;
}

/** Messages from a run process to the hub. */
export type WorkerMessage =
  | { type: "status"; status: RunStatus; message?: string; nodeId?: string }
  | { type: "events"; events: StreamingEvent[] }
  | { type: "print"; printed: PrintedBatch }
  | { type: "nodeError"; report: NodeErrorReport }
  | { type: "deadLetters"; reports: DeadLetterReport[] }
  | { type: "tableRows"; table: string; rows: unknown[]; batchTimeMs: number }
  /** `ackId`: the hub answers `flagsStored` with it once the flags are in the database. */
  | { type: "flags"; reports: FlagReport[]; dropped: number; ackId: number }
  | { type: "stateStreams"; streamIds: string[] }
  | { type: "stateBatch"; streamId: string; batchTimeMs: number; counts: StateChangeCounts }
  | { type: "stateReply"; reqId: number; reply: StateReply }
  /** The newest state of each state stream, as plain data: stored, so that it stays readable after the run. */
  | { type: "stateSnapshot"; snapshots: StoredStateSnapshot[] }
  | { type: "pong"; seq: number }
  | { type: "sources"; report: SourcesReport }
  /** Sent before the run starts when its checkpoints were damaged (see CheckpointRecovery). */
  | { type: "checkpointRecovery"; recovery: CheckpointRecovery }
  /** One of the run's first input batches, recorded for replays (server/runs/replay/InputRecorder.ts). */
  | { type: "recordedBatch"; batchTimeMs: number; payload: string }
  /** The run records no more batches, and why (a cap reached). */
  | { type: "recordingEnded"; reason: string }
  /** A replay process's answer (server/runs/replay/replayWorker.ts). */
  | { type: "replayDone"; outcome: import("./replay/job").ReplayOutcome };

/** Messages from the hub to a run process. */
export type HubMessage =
  | { type: "init"; data: RunWorkerData }
  | { type: "pause" }
  | { type: "resume" }
  | { type: "step" }
  | { type: "stop"; graceful: boolean }
  | { type: "ping"; seq: number }
  | { type: "stateQuery"; reqId: number; query: StateQuery }
  | { type: "flagsStored"; ackId: number };

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
  /** The most recent dead letters of the run's dead-letter outputs. */
  deadLetters?: DeadLetterReport[];
  /** The most recent fraud flags of the run's flags outputs. */
  flags?: FlagReport[];
  /** State streams (`<nodeId>:<port>`) the dashboard can page through with `run:state`. */
  stateStreams?: string[];
  /** Whole-run counts (BatchLog.totals()); without them the dashboard counts the retained batches. */
  totals?: RunTotals;
  /** The sequence number of the last frame sent before this snapshot, so a client can spot dropped frames. */
  frameSeq?: number;
  /** Damaged checkpoints met when the run resumed, and what was done about them. */
  recovery?: CheckpointRecovery;
  /** Rates of the run's sources and its Kafka partitions' offsets, when it has any. */
  sources?: SourcesView;
  /**
   * The run has ended and the hub keeps only its summary (status, totals, recovery): its batches,
   * records and errors are read from the database.
   */
  ended?: true;
}

/** What a replay compared the run's document with (POST /api/runs/:runId/replay). */
export type ReplayAgainst =
  | { source: "pipeline"; pipelineId: string; version: number; workingCopy: boolean }
  | { source: "request" };

/** The answer of POST /api/runs/:runId/replay. */
export interface ReplayResponse {
  runId: string;
  against: ReplayAgainst;
  outcome: import("./replay/job").ReplayOutcome;
}

/** The answer of GET /api/runs/:runId/recording (server/runs/replay/ReplayService.ts). */
export type RecordingResponse = import("./replay/job").RecordingSummary;
