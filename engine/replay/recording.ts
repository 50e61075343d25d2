import type { RecordedBatch, Recording } from "./types";

/**
 * Validation of recorded input read back from storage: it is hostile (anyone with the database
 * file can write it), so every batch is checked for shape, nesting, keys and size before a
 * replay feeds it to a pipeline. Errors name the batch and what is wrong.
 */
export interface RecordingLimits {
  /** Deepest nesting of arrays and objects in one record. */
  maxDepth: number;
  /** Records of one batch, all sources together. */
  maxRecordsPerBatch: number;
  /** Batches of one recording. */
  maxBatches: number;
}

export class InvalidRecordingError extends Error {
  override name = "InvalidRecordingError";
}

/** Node ids as the document allows them (engine/pipeline/document.ts): no separators, no prototype names. */
const NODE_ID = /^[A-Za-z0-9_.:-]{1,100}$/;
const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);

/** The first thing wrong with a JSON value taken as a record, or undefined. Iterative: a deep value cannot overflow the stack. */
function recordIssue(value: unknown, maxDepth: number): string | undefined {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v === "string" || typeof v === "boolean") continue;
    if (typeof v === "number") {
      if (!Number.isFinite(v)) return "holds a number that is not finite";
      continue;
    }
    if (typeof v !== "object") return `holds a ${typeof v}, which JSON cannot`;
    if (depth + 1 > maxDepth) return `is nested more than ${maxDepth} levels deep`;
    if (Array.isArray(v)) {
      for (const child of v) stack.push([child, depth + 1]);
      continue;
    }
    if (Object.getPrototypeOf(v) !== Object.prototype) return "holds an object that is not plain data";
    for (const key of Object.keys(v)) {
      if (key === "__proto__") return 'holds a "__proto__" key';
      stack.push([(v as Record<string, unknown>)[key], depth + 1]);
    }
  }
  return undefined;
}

/** Parses and checks one stored batch (`payload` is its JSON text); throws InvalidRecordingError naming it. */
export function parseRecordedBatch(batchTimeMs: unknown, payload: unknown, limits: RecordingLimits): RecordedBatch {
  const where = `recorded batch ${typeof batchTimeMs === "number" ? `${batchTimeMs} ms` : String(batchTimeMs)}`;
  if (typeof batchTimeMs !== "number" || !Number.isSafeInteger(batchTimeMs) || batchTimeMs < 0) {
    throw new InvalidRecordingError(`${where}: its time is not a whole number of milliseconds`);
  }
  if (typeof payload !== "string") throw new InvalidRecordingError(`${where}: its payload is not text`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload);
  } catch (e) {
    throw new InvalidRecordingError(`${where}: its payload is not JSON (${(e as Error).message})`);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new InvalidRecordingError(`${where}: its payload is not an object of sources`);
  const inputs: Record<string, unknown[]> = Object.create(null) as Record<string, unknown[]>;
  let total = 0;
  for (const [nodeId, records] of Object.entries(parsed as Record<string, unknown>)) {
    if (!NODE_ID.test(nodeId) || FORBIDDEN_KEYS.has(nodeId)) throw new InvalidRecordingError(`${where}: "${nodeId.slice(0, 80)}" is not a node id`);
    if (!Array.isArray(records)) throw new InvalidRecordingError(`${where}, source "${nodeId}": its records are not an array`);
    total += records.length;
    if (total > limits.maxRecordsPerBatch) {
      throw new InvalidRecordingError(`${where}: more than ${limits.maxRecordsPerBatch} records (the most one batch may hold)`);
    }
    records.forEach((record, i) => {
      const issue = recordIssue(record, limits.maxDepth);
      if (issue) throw new InvalidRecordingError(`${where}, source "${nodeId}", record ${i}: it ${issue}`);
    });
    inputs[nodeId] = records;
  }
  return { batchTimeMs, inputs: { ...inputs } };
}

/**
 * Checks that the batches make a recording a replay can run: at least one, no more than the
 * limit, on the batch interval's grid and consecutive (a gap would misplace every later batch
 * and the state built from them).
 */
export function checkRecording(recording: Recording, limits: RecordingLimits): Recording {
  const { batchIntervalMs, batches } = recording;
  if (!Number.isSafeInteger(batchIntervalMs) || batchIntervalMs <= 0) throw new InvalidRecordingError(`the recording's batch interval (${batchIntervalMs}) is not a positive whole number of ms`);
  if (batches.length === 0) throw new InvalidRecordingError("the recording holds no batches");
  if (batches.length > limits.maxBatches) throw new InvalidRecordingError(`the recording holds ${batches.length} batches, more than the ${limits.maxBatches} allowed`);
  batches.forEach((b, i) => {
    if (b.batchTimeMs % batchIntervalMs !== 0) throw new InvalidRecordingError(`recorded batch ${b.batchTimeMs} ms is not on the ${batchIntervalMs} ms batch grid`);
    const previous = batches[i - 1];
    if (previous && b.batchTimeMs !== previous.batchTimeMs + batchIntervalMs) {
      throw new InvalidRecordingError(`the recording has a gap: batch ${previous.batchTimeMs} ms is followed by ${b.batchTimeMs} ms, not ${previous.batchTimeMs + batchIntervalMs} ms`);
    }
  });
  return recording;
}
