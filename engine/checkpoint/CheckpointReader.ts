import fs from "node:fs";
import path from "node:path";
import v8 from "node:v8";
import { checkpointTimeOfFile, type Checkpoint, type CheckpointStreamData } from "./Checkpoint";
import { CorruptCheckpointException, decodeCheckpoint } from "./serializer";

/** No checkpoint of a directory could be read (Spark: "Failed to read checkpoint from directory"). */
export class CheckpointReadException extends Error {
  override name = "CheckpointReadException";
  constructor(
    readonly directory: string,
    /** Each file tried, newest first, with why it was refused. */
    readonly failures: readonly CorruptCheckpointException[],
  ) {
    super(`Failed to read checkpoint from directory ${directory}: ${failures.map((f) => f.message).join("; ")}`);
  }
}

/** A checkpoint read back, with the file it came from and any newer files that were unreadable. */
export interface ReadCheckpoint {
  readonly file: string;
  readonly checkpoint: Checkpoint;
  readonly skipped: readonly CorruptCheckpointException[];
}

/** Checkpoint files of `dir`, newest first (temp files of interrupted writes are not listed). */
export function listCheckpointFiles(dir: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw e;
  }
  return names
    .map((n) => ({ n, t: checkpointTimeOfFile(n) }))
    .filter((x): x is { n: string; t: number } => x.t !== undefined)
    .sort((a, b) => b.t - a.t)
    .map((x) => path.join(dir, x.n));
}

/** Reads and checks one checkpoint file; throws CorruptCheckpointException naming it. */
export function readCheckpointFile(file: string): Checkpoint {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    throw new CorruptCheckpointException(file, e instanceof Error ? e.message : String(e));
  }
  const raw = decodeCheckpoint(bytes, file) as Record<string, unknown>;
  if (
    typeof raw !== "object" ||
    raw === null ||
    typeof raw.checkpointTimeMs !== "number" ||
    !(raw.streams instanceof Uint8Array)
  ) {
    throw new CorruptCheckpointException(file, "the data is not a checkpoint", "format");
  }
  let streams: Record<string, CheckpointStreamData>;
  try {
    streams = v8.deserialize(raw.streams) as Record<string, CheckpointStreamData>;
  } catch (e) {
    throw new CorruptCheckpointException(
      file,
      `the state cannot be decoded (${e instanceof Error ? e.message : String(e)})`,
      "undecodable",
    );
  }
  return { ...(raw as unknown as Checkpoint), streams };
}

/** What a look through a checkpoint directory found: the files, the newest that verifies, and those refused before it. */
export interface CheckpointSearch {
  readonly directory: string;
  /** Every checkpoint file, newest first. */
  readonly files: readonly string[];
  /** The newest file that verifies, read; undefined when none does (or there are none). */
  readonly found: ReadCheckpoint | undefined;
  /** The files refused, newest first, each with why (every file when none verifies). */
  readonly skipped: readonly CorruptCheckpointException[];
}

/**
 * Tries the checkpoint files of `dir` newest first and stops at the first that verifies; never
 * throws for a damaged file (the caller decides what a damaged or missing checkpoint means).
 */
export function searchCheckpoints(dir: string): CheckpointSearch {
  const files = listCheckpointFiles(dir);
  const skipped: CorruptCheckpointException[] = [];
  for (const file of files) {
    try {
      return { directory: dir, files, found: { file, checkpoint: readCheckpointFile(file), skipped }, skipped };
    } catch (e) {
      if (!(e instanceof CorruptCheckpointException)) throw e;
      skipped.push(e);
    }
  }
  return { directory: dir, files, found: undefined, skipped };
}

/**
 * The newest readable checkpoint of `dir`, or undefined when there is none. Like Spark's
 * CheckpointReader it tries files newest first and falls back to older ones; when every file
 * fails it throws CheckpointReadException naming each file and its problem.
 */
export function readLatestCheckpoint(dir: string): ReadCheckpoint | undefined {
  const search = searchCheckpoints(dir);
  if (search.files.length === 0) return undefined;
  if (search.found) return search.found;
  throw new CheckpointReadException(dir, search.skipped);
}
