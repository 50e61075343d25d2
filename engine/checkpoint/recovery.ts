import { canonical } from "../rdd/keys";
import { IllegalStateException } from "../streaming/errors";
import type { StreamingContext } from "../streaming/StreamingContext";
import { Time } from "../streaming/Time";
import path from "node:path";
import {
  CheckpointReadException,
  readLatestCheckpoint,
  searchCheckpoints,
  type CheckpointSearch,
  type ReadCheckpoint,
} from "./CheckpointReader";
import type { CorruptCheckpointException } from "./serializer";

/** What the creating function learns when a checkpoint is being recovered. */
export interface RecoveredCheckpointInfo {
  /** The checkpoint file being recovered. */
  readonly file: string;
  /** The batch after which it was taken. */
  readonly checkpointTimeMs: number;
  /** The definition attached to the context that wrote it (e.g. the pipeline document). */
  readonly definition: unknown;
}

/**
 * Builds the context's graph. On recovery it is called with the checkpoint's info and must build
 * the same graph as the first time (same operations in the same order, or the same pipeline
 * document), so that stream ids match; the state is then put back by stream id.
 */
export type CreatingFunction = (recovered?: RecoveredCheckpointInfo) => StreamingContext;

export interface GetOrCreateOptions {
  /** Create a new context when the checkpoint cannot be read or does not fit (default false: throw). */
  readonly createOnError?: boolean;
}

/** A checkpoint was read but does not fit the rebuilt context; the message names the file. */
export class CheckpointMismatchException extends Error {
  override name = "CheckpointMismatchException";
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super(`Cannot recover from checkpoint file ${file}: ${reason}`);
  }
}

/**
 * Spark's StreamingContext.getOrCreate: recover from the newest readable checkpoint in
 * `directory`, else create with `createFn`. Since closures cannot be saved, recovery calls
 * `createFn` too (with the checkpoint's info) and then restores state, source positions and
 * times by stream id (see `restoreFromCheckpoint`). Without checkpoint data it creates, as Spark
 * does silently; here a `warning` event (posted at start) says so when the created context does
 * not write checkpoints either.
 */
export function getOrCreate(
  directory: string | undefined,
  createFn: CreatingFunction,
  options: GetOrCreateOptions = {},
): StreamingContext {
  if (directory === undefined || directory === "") {
    const ssc = createFn();
    ssc.warn(
      "no-checkpoint-directory",
      "getOrCreate was given no checkpoint directory, so it created a new context; nothing will be recovered after a restart.",
    );
    return ssc;
  }
  let read: ReadCheckpoint | undefined;
  try {
    read = readLatestCheckpoint(directory);
  } catch (e) {
    if (!options.createOnError || !(e instanceof CheckpointReadException)) throw e;
    const ssc = createFn();
    ssc.warn("checkpoint-unreadable", `${e.message}. Created a new context (createOnError).`);
    return ssc;
  }
  if (read === undefined) {
    const ssc = createFn();
    if (ssc.checkpointDir === undefined) {
      ssc.warn(
        "no-checkpoint-directory",
        `getOrCreate found no checkpoint in ${directory} and created a new context that sets no checkpoint directory ` +
          "(call ssc.checkpoint(directory) in the creating function): it writes no checkpoints, so a restart will create it anew instead of recovering.",
      );
    }
    return ssc;
  }
  const { file, checkpoint } = read;
  const ssc = createFn({ file, checkpointTimeMs: checkpoint.checkpointTimeMs, definition: checkpoint.definition });
  try {
    restoreFromCheckpoint(ssc, read, directory);
  } catch (e) {
    if (!options.createOnError || !(e instanceof CheckpointMismatchException)) throw e;
    const fresh = createFn();
    fresh.warn("checkpoint-mismatch", `${e.message}. Created a new context (createOnError).`);
    return fresh;
  }
  return ssc;
}

/** What `recoverNewestUsable` did. */
export type RecoveryOutcome =
  /** The directory holds no checkpoint file: a new context was created. */
  | { readonly kind: "created"; readonly ssc: StreamingContext }
  /** Restored from `file`, the newest that verifies; `skipped` are the newer files refused. */
  | {
      readonly kind: "restored";
      readonly ssc: StreamingContext;
      readonly file: string;
      readonly skipped: readonly CorruptCheckpointException[];
    }
  /** Checkpoint files exist but none verifies: nothing was created, the caller decides. */
  | { readonly kind: "unusable"; readonly search: CheckpointSearch };

/**
 * Recovery that never starts over on its own: restores from the newest checkpoint of
 * `directory` that verifies (the refused newer ones are listed, and posted as warnings); creates
 * a new context only when there is no checkpoint file at all; and when there are files but none
 * verifies, creates nothing and says so, since starting afresh would silently lose the state.
 * A checkpoint that verifies but does not fit the rebuilt graph still throws
 * (CheckpointMismatchException, or the source's own refusal).
 */
export function recoverNewestUsable(directory: string, createFn: CreatingFunction): RecoveryOutcome {
  const search = searchCheckpoints(directory);
  if (search.files.length === 0) return { kind: "created", ssc: createFn() };
  const read = search.found;
  if (read === undefined) return { kind: "unusable", search };
  const ssc = createFn({ file: read.file, checkpointTimeMs: read.checkpoint.checkpointTimeMs, definition: read.checkpoint.definition });
  restoreFromCheckpoint(ssc, read, directory);
  return { kind: "restored", ssc, file: read.file, skipped: read.skipped };
}

/** One line per refused file: its name and why ("checkpoint-3000 (checksum): checksum mismatch ..."). */
export function describeSkipped(skipped: readonly CorruptCheckpointException[]): string[] {
  return skipped.map((s) => `${path.basename(s.file)} (${s.kind}): ${s.reason}`);
}

/**
 * Puts a checkpoint back into a freshly built, not yet started context: checks that it fits
 * (batch duration, stream ids and classes), restores the kept RDDs into their streams and the
 * source positions into their inputs, and sets the restart point, so that `start()` re-runs the
 * batches after the checkpoint (pending and missed ones) on the old time grid.
 */
export function restoreFromCheckpoint(ssc: StreamingContext, read: ReadCheckpoint, directory: string): void {
  const { file, checkpoint: cp } = read;
  if (ssc.getState() !== "INITIALIZED")
    throw new IllegalStateException(`Cannot restore checkpoint ${file} into a context that was started`);
  if (cp.batchDurationMs !== ssc.batchDuration.milliseconds) {
    throw new CheckpointMismatchException(
      file,
      `it was written with a batch duration of ${cp.batchDurationMs} ms; the rebuilt context has ${ssc.batchDuration}`,
    );
  }
  const graph = ssc.graph;
  for (const [id, data] of Object.entries(cp.streams)) {
    const stream = graph.getStream(id);
    if (stream === undefined) {
      throw new CheckpointMismatchException(
        file,
        `it holds state for stream "${id}" (${data.className}), which the rebuilt graph does not have ` +
          `(its streams: ${[...graph.getStreams().keys()].join(", ")}). Build the graph with the same code or pipeline document.`,
      );
    }
    if (stream.constructor.name !== data.className) {
      throw new CheckpointMismatchException(
        file,
        `stream "${id}" was a ${data.className} and is now ${stream}. Build the graph with the same code or pipeline document.`,
      );
    }
  }
  if (ssc.checkpointDir === undefined) ssc.checkpoint(directory);
  // Spark's DStream.restoreCheckpointData (queueStream refuses here, with Spark's message).
  graph.restoreCheckpointData();
  for (const [id, data] of Object.entries(cp.streams)) {
    const stream = graph.getStream(id)!;
    for (const r of data.rdds) stream.restoreCheckpointRDD(new Time(r.timeMs), r.data);
  }
  for (const input of graph.getInputStreams()) {
    if (Object.prototype.hasOwnProperty.call(cp.sources, input.id)) input.restoreSourcePosition(cp.sources[input.id]);
  }
  ssc.setRestartPoint({
    zeroTime: new Time(cp.zeroTimeMs),
    checkpointTime: new Time(cp.checkpointTimeMs),
    pendingTimes: cp.pendingTimesMs.map((t) => new Time(t)),
  });
  if (ssc.definition === undefined) ssc.setDefinition(cp.definition);
  else if (cp.definition !== undefined && canonical(ssc.definition) !== canonical(cp.definition)) {
    ssc.warn(
      "definition-changed",
      `The context was rebuilt from a definition that differs from the one in checkpoint ${file}; state was restored by stream id.`,
    );
  }
  for (const s of read.skipped)
    ssc.warn("checkpoint-unreadable", `${s.message}; recovered from the older ${file} instead.`);
  ssc.markRestored({
    type: "checkpointRestored",
    timeMs: ssc.clock.getTimeMillis(),
    file,
    checkpointTimeMs: cp.checkpointTimeMs,
    zeroTimeMs: cp.zeroTimeMs,
    pendingTimesMs: cp.pendingTimesMs,
    streamIds: Object.keys(cp.streams),
  });
}
