/**
 * What a checkpoint holds (Spark's Checkpoint, re-thought for JavaScript). Spark serializes the
 * whole DStream graph, closures included; closures cannot be serialized here, so a checkpoint
 * holds data only and recovery rebuilds the graph with the same builder (or pipeline document)
 * before putting the data back by stream id:
 *
 *   - times: zero time, batch duration, the checkpoint's batch time, batches still pending;
 *   - `definition`: an opaque JSON value the caller attached (the pipeline document);
 *   - per stream id, the RDDs the rebuilt graph needs to go on (state, inverse-window data),
 *     as structured-clone data (state values must be clonable: no functions, and class
 *     instances come back as plain objects);
 *   - per input stream id, the source's position (queue index, generator sequence, offsets).
 *
 * A checkpoint is a consistent cut taken after batch `checkpointTimeMs` completed: the state is
 * the state after that batch, and the positions are those of the records consumed by it and the
 * batches before. Recovery re-runs every batch after it, so their outputs may repeat.
 */

/** The version of the file layout and of this model; readers refuse newer versions. */
export const CHECKPOINT_FORMAT_VERSION = 1;

/** The RDDs of one stream kept by a checkpoint. */
export interface CheckpointStreamData {
  /** The stream's class (for messages when the rebuilt graph does not match). */
  readonly className: string;
  /** Batch time (ms) and encoded partitions of each kept RDD. */
  readonly rdds: readonly { readonly timeMs: number; readonly data: unknown }[];
}

export interface Checkpoint {
  readonly formatVersion: number;
  /** The batch after which the checkpoint was taken. */
  readonly checkpointTimeMs: number;
  readonly zeroTimeMs: number;
  readonly batchDurationMs: number;
  /** Batches generated but not completed when the checkpoint was taken (all after it). */
  readonly pendingTimesMs: readonly number[];
  /** Wall-clock time of the write (Date.now()). */
  readonly writtenAtMs: number;
  /** The caller's definition of the graph (e.g. the pipeline document), if attached. */
  readonly definition: unknown;
  /** Ids of every stream of the graph that wrote it, for diagnostics on mismatch. */
  readonly streamIds: readonly string[];
  /** Kept RDDs per stream id. */
  readonly streams: Readonly<Record<string, CheckpointStreamData>>;
  /** Source positions per input stream id. */
  readonly sources: Readonly<Record<string, unknown>>;
}

/** `checkpoint-<batchTimeMs>`, as Spark names its checkpoint files. */
export function checkpointFileName(timeMs: number): string {
  return `checkpoint-${timeMs}`;
}

const FILE_PATTERN = /^checkpoint-(\d+)$/;

/** The batch time in a checkpoint file name, or undefined for other files (temp files, backups). */
export function checkpointTimeOfFile(name: string): number | undefined {
  const m = FILE_PATTERN.exec(name);
  return m === null ? undefined : Number(m[1]);
}
