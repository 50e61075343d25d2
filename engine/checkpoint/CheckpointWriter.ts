import fs from "node:fs";
import path from "node:path";
import v8 from "node:v8";
import type { StreamingContext } from "../streaming/StreamingContext";
import type { BatchHooks } from "../streaming/JobGenerator";
import type { Time } from "../streaming/Time";
import {
  CHECKPOINT_FORMAT_VERSION,
  checkpointFileName,
  checkpointTimeOfFile,
  type CheckpointStreamData,
} from "./Checkpoint";
import { encodeCheckpoint } from "./serializer";

/** Checkpoint files kept by default: the newest and the one before it. */
export const DEFAULT_CHECKPOINT_RETENTION = 2;

/**
 * Writes `bytes` to `dir/name` so that a crash at any point leaves either the old file or the
 * new one, never a partial one: write a temp file, fsync it, rename it over the target (atomic
 * on POSIX file systems), then fsync the directory so that the rename itself is durable.
 */
export async function writeFileAtomic(dir: string, name: string, bytes: Uint8Array): Promise<string> {
  await fs.promises.mkdir(dir, { recursive: true });
  const target = path.join(dir, name);
  const tmp = path.join(dir, `.${name}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
  try {
    const fh = await fs.promises.open(tmp, "w");
    try {
      await fh.writeFile(bytes);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await fs.promises.rename(tmp, target);
  } catch (e) {
    await fs.promises.rm(tmp, { force: true });
    throw e;
  }
  await syncDirectory(dir);
  return target;
}

async function syncDirectory(dir: string): Promise<void> {
  let fh: fs.promises.FileHandle | undefined;
  try {
    fh = await fs.promises.open(dir, "r");
    await fh.sync();
  } catch {
    // Some platforms cannot open or sync a directory; the rename is still atomic there.
  } finally {
    await fh?.close();
  }
}

/**
 * Keeps the newest `retain` checkpoint files of `dir` and deletes the rest, along with temp files
 * left by interrupted writes. Returns the deleted names. One context writes to a directory.
 */
export async function pruneCheckpoints(dir: string, retain: number): Promise<string[]> {
  const names = await fs.promises.readdir(dir).catch(() => [] as string[]);
  const checkpoints = names
    .map((n) => ({ n, t: checkpointTimeOfFile(n) }))
    .filter((x): x is { n: string; t: number } => x.t !== undefined)
    .sort((a, b) => b.t - a.t);
  const doomed = [
    ...checkpoints.slice(Math.max(1, retain)).map((x) => x.n),
    ...names.filter((n) => n.startsWith(".checkpoint-") && n.endsWith(".tmp")),
  ];
  for (const n of doomed) await fs.promises.rm(path.join(dir, n), { force: true });
  return doomed;
}

interface Captured {
  readonly streams: Uint8Array;
  readonly streamIds: readonly string[];
  readonly pendingTimesMs: readonly number[];
  readonly captureMs: number;
}

/**
 * Writes a checkpoint after each checkpoint batch (Spark's CheckpointWriter, with the state in the
 * same file): a batch is a checkpoint batch when it falls on the checkpoint interval of some
 * stream that has one (stateful streams: 10 s or 10 batches by default), or, in a graph without
 * such streams, every `ssc.checkpointDuration` (each batch, Spark's metadata checkpoints).
 *
 * Two steps, because a later batch may run before this one's post-batch work and may change
 * state objects in place: `capture` serializes the state synchronously as the batch's last job
 * ends; `write` adds the source positions once the sources have been told the batch completed,
 * then writes the file atomically and prunes old ones.
 */
export class CheckpointWriter {
  private readonly captured = new Map<number, Captured>();

  constructor(
    private readonly ssc: StreamingContext,
    readonly directory: string,
    readonly retain: number = DEFAULT_CHECKPOINT_RETENTION,
  ) {}

  get hooks(): BatchHooks {
    return {
      onBatchJobsCompleted: (time) => this.capture(time),
      onBatchCompleted: (time) => this.write(time),
    };
  }

  /** Whether a checkpoint is taken after batch `time`. */
  isCheckpointTime(time: Time): boolean {
    let anyInterval = false;
    for (const s of this.ssc.graph.getStreams().values()) {
      if (s.zeroTime === undefined || s.checkpointDuration === undefined) continue;
      anyInterval = true;
      if (time.greater(s.zeroTime) && time.since(s.zeroTime).isMultipleOf(s.checkpointDuration)) return true;
    }
    const zero = this.ssc.graph.zeroTime;
    const every = this.ssc.checkpointDuration;
    return (
      !anyInterval &&
      zero !== undefined &&
      every !== undefined &&
      time.greater(zero) &&
      time.since(zero).isMultipleOf(every)
    );
  }

  /** Serializes what the graph needs to go on after batch `time` (see DStream.checkpointRDDs). */
  capture(time: Time): void {
    if (!this.isCheckpointTime(time)) return;
    const started = performance.now();
    const streams: Record<string, CheckpointStreamData & { rdds: { timeMs: number; data: unknown }[] }> = {};
    const done = new Set<string>();
    for (const s of this.ssc.graph.getStreams().values()) {
      if (!s.isInitialized) continue;
      for (const [stream, t] of s.checkpointRDDs(time)) {
        const key = `${stream.id}@${t.milliseconds}`;
        if (done.has(key)) continue;
        done.add(key);
        const rdd = stream.getOrCompute(t);
        if (rdd === undefined) continue;
        const entry = (streams[stream.id] ??= { className: stream.constructor.name, rdds: [] });
        entry.rdds.push({ timeMs: t.milliseconds, data: stream.encodeCheckpointRDD(rdd) });
      }
    }
    const bytes = v8.serialize(streams);
    this.captured.set(time.milliseconds, {
      streams: bytes,
      streamIds: Object.keys(streams),
      pendingTimesMs: this.ssc.scheduler.pendingBatchTimes().filter((t) => t > time.milliseconds),
      captureMs: performance.now() - started,
    });
  }

  /** Writes the checkpoint captured for batch `time`, if any. */
  async write(time: Time): Promise<void> {
    const captured = this.captured.get(time.milliseconds);
    for (const t of this.captured.keys()) if (t <= time.milliseconds) this.captured.delete(t);
    if (captured === undefined) return;
    const graph = this.ssc.graph;
    const sources: Record<string, unknown> = {};
    for (const input of graph.getInputStreams()) {
      const position = input.getSourcePosition();
      if (position !== undefined) sources[input.id] = position;
    }
    const file = {
      formatVersion: CHECKPOINT_FORMAT_VERSION,
      checkpointTimeMs: time.milliseconds,
      zeroTimeMs: graph.zeroTime!.milliseconds,
      batchDurationMs: graph.batchDuration.milliseconds,
      pendingTimesMs: captured.pendingTimesMs,
      writtenAtMs: Date.now(),
      definition: this.ssc.definition,
      streamIds: [...graph.getStreams().keys()],
      streams: captured.streams,
      sources,
    };
    const started = performance.now();
    try {
      const bytes = encodeCheckpoint(file);
      const written = await writeFileAtomic(this.directory, checkpointFileName(time.milliseconds), bytes);
      await pruneCheckpoints(this.directory, this.retain);
      const bus = this.ssc.listenerBus;
      if (bus.hasListeners) {
        bus.post({
          type: "checkpointWritten",
          batchTimeMs: time.milliseconds,
          file: written,
          bytes: bytes.byteLength,
          captureMs: captured.captureMs,
          writeMs: performance.now() - started,
          streamIds: captured.streamIds,
        });
      }
    } catch (e) {
      // As Spark's CheckpointWriter: a failed write is reported and the stream goes on.
      this.ssc.warn(
        "checkpoint-write-failed",
        `Could not write checkpoint for batch ${time} in ${this.directory}: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
  }
}
