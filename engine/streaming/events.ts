/**
 * The engine's events for the dashboard: a closed, discriminated union on `type`. Payloads are
 * plain data (numbers in ms, strings), safe to post between threads. Browser-safe.
 */

/** Per-batch input of one source (Spark's StreamInputInfo). */
export interface StreamInputInfo {
  /** The input stream's numeric id (Spark's `inputStreamId`). */
  readonly inputStreamId: number;
  /** The input stream's stable string id. */
  readonly streamId: string;
  readonly numRecords: number;
  /** Source-specific facts (e.g. Kafka topic/partition/offset ranges). */
  readonly metadata: Readonly<Record<string, unknown>>;
}

interface BatchEventBase {
  readonly batchTimeMs: number;
}

export interface StreamingStartedEvent {
  readonly type: "streamingStarted";
  readonly timeMs: number;
  readonly zeroTimeMs: number;
  readonly batchDurationMs: number;
}
export interface StreamingStoppedEvent {
  readonly type: "streamingStopped";
  readonly timeMs: number;
}
export interface BatchSubmittedEvent extends BatchEventBase {
  readonly type: "batchSubmitted";
  readonly submissionTimeMs: number;
  /** Records per input stream id. */
  readonly inputSize: Readonly<Record<string, number>>;
  readonly inputInfo: readonly StreamInputInfo[];
  readonly numOutputOps: number;
}
export interface BatchStartedEvent extends BatchEventBase {
  readonly type: "batchStarted";
  readonly processingStartTimeMs: number;
  /** Time from the batch time to the start of its first job. */
  readonly schedulingDelayMs: number;
}
export interface BatchCompletedEvent extends BatchEventBase {
  readonly type: "batchCompleted";
  readonly inputSize: Readonly<Record<string, number>>;
  readonly numRecords: number;
  readonly schedulingDelayMs: number;
  readonly processingTimeMs: number;
  /** Scheduling delay plus processing time. */
  readonly totalDelayMs: number;
  readonly numOutputOps: number;
  readonly numFailedOutputOps: number;
}
export interface OutputOperationStartedEvent extends BatchEventBase {
  readonly type: "outputOperationStarted";
  readonly outputOpId: number;
  readonly streamId: string;
  readonly name: string;
  readonly startTimeMs: number;
}
export interface OutputOperationCompletedEvent extends BatchEventBase {
  readonly type: "outputOperationCompleted";
  readonly outputOpId: number;
  readonly streamId: string;
  readonly name: string;
  readonly durationMs: number;
  readonly error?: string;
  /** The stream a failure was attributed to, when known. */
  readonly failedStreamId?: string;
}
export interface StreamRecordsEvent extends BatchEventBase {
  readonly type: "streamRecords";
  readonly streamId: string;
  readonly streamName: string;
  /** Records in the partitions computed for this batch. */
  readonly count: number;
  /** Whether every partition was computed (false when e.g. `print` stopped early). */
  readonly complete: boolean;
  /** The first records (at most `sampleSize`, 20 by default). */
  readonly sample: readonly unknown[];
}
export interface WindowEvent extends BatchEventBase {
  readonly type: "window";
  readonly streamId: string;
  readonly streamName: string;
  /** Window bounds: it covers parent batches with times in (windowStartMs, windowEndMs]. */
  readonly windowStartMs: number;
  readonly windowEndMs: number;
  readonly windowDurationMs: number;
  readonly slideDurationMs: number;
  /** Parent batch times the window covers (only those after the zero time). */
  readonly coveredTimesMs: readonly number[];
  /** Inverse form only: parent batch times that entered and left since the previous window. */
  readonly enteredTimesMs?: readonly number[];
  readonly leftTimesMs?: readonly number[];
}
export interface ErrorEvent {
  readonly type: "error";
  readonly batchTimeMs?: number;
  readonly streamId?: string;
  readonly message: string;
  readonly error: unknown;
}
export interface ReceiverEvent {
  readonly type: "receiverStarted" | "receiverStopped" | "receiverError";
  readonly streamId: string;
  readonly receiverName: string;
  readonly timeMs: number;
  readonly message?: string;
  readonly error?: unknown;
}

/** A checkpoint file was written after batch `batchTimeMs` (state, positions, pending batches). */
export interface CheckpointWrittenEvent extends BatchEventBase {
  readonly type: "checkpointWritten";
  readonly file: string;
  readonly bytes: number;
  /** Time to capture (serialize) the state at the end of the batch, in ms of real time. */
  readonly captureMs: number;
  /** Time to write and sync the file, in ms of real time. */
  readonly writeMs: number;
  /** Ids of the streams whose state the file holds. */
  readonly streamIds: readonly string[];
}
/** A context was rebuilt from a checkpoint; posted when it starts. */
export interface CheckpointRestoredEvent {
  readonly type: "checkpointRestored";
  readonly timeMs: number;
  readonly file: string;
  /** The batch after which the checkpoint was taken; batches after it are run again. */
  readonly checkpointTimeMs: number;
  readonly zeroTimeMs: number;
  readonly pendingTimesMs: readonly number[];
  readonly streamIds: readonly string[];
}
/** Something the user should know that does not stop the context (e.g. getOrCreate without checkpoints). */
export interface WarningEvent {
  readonly type: "warning";
  readonly timeMs: number;
  /** A stable code for the UI: "no-checkpoint-directory", "checkpoint-unreadable", ... */
  readonly code: string;
  readonly message: string;
}

export type StreamingEvent =
  | StreamingStartedEvent
  | StreamingStoppedEvent
  | BatchSubmittedEvent
  | BatchStartedEvent
  | BatchCompletedEvent
  | OutputOperationStartedEvent
  | OutputOperationCompletedEvent
  | StreamRecordsEvent
  | WindowEvent
  | ErrorEvent
  | ReceiverEvent
  | CheckpointWrittenEvent
  | CheckpointRestoredEvent
  | WarningEvent;

export type StreamingEventType = StreamingEvent["type"];
