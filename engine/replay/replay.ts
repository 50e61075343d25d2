import type { DStream } from "../dstream/DStream";
import { compilePipeline, type CompileEnvironment } from "../pipeline/compile";
import type { PipelineDocument } from "../pipeline/document";
import { StorageLevel } from "../rdd/StorageLevel";
import { formatRecord } from "../sinks/format";
import { Milliseconds } from "../streaming/Duration";
import { ManualClock } from "../streaming/ManualClock";
import { outputNodes, replayableDocument } from "./replayDocument";
import type { Recording, ReplayedOutput, ReplayNodeError, ReplayResult } from "./types";

export interface ReplayOptions {
  /** Builds user functions (the run process's sandboxed factory); the compiler's default otherwise. */
  userFunction?: CompileEnvironment["userFunction"];
  /** Lookup tables the document reads, as the run had them. */
  readTable?: CompileEnvironment["readTable"];
  /** Where checkpoints go when the document turns them on (a folder of the replay's own, never the run's). */
  checkpointDir?: string;
  /** Replay no further than this batch (ms); all recorded batches by default. */
  untilBatchMs?: number;
  /** Records captured over all outputs and batches before the replay gives up (its result would be too large to compare). */
  maxRecords?: number;
}

/** Errors kept per replay (the count goes on; a broken function fails every record). */
const MAX_ERRORS = 200;
const DEFAULT_MAX_RECORDS = 200_000;

/** A replay that cannot go on (its outputs are too large); names the limit. */
export class ReplayLimitError extends Error {
  override name = "ReplayLimitError";
}

/**
 * Runs a document over recorded batches on a manual clock, batch by batch from the recording's
 * first batch (so windows and state are built again from the recorded input, as the run built
 * them), and returns what each output node received in each batch: its input stream's records,
 * or for a fraud flags output the flags it raised, printed as `print` prints them.
 */
export async function replayRecording(document: PipelineDocument, recording: Recording, options: ReplayOptions = {}): Promise<ReplayResult> {
  const until = options.untilBatchMs ?? Infinity;
  const batches = recording.batches.filter((b) => b.batchTimeMs <= until);
  if (batches.length === 0) throw new ReplayLimitError(`no recorded batch at or before ${until} ms`);
  const maxRecords = options.maxRecords ?? DEFAULT_MAX_RECORDS;
  const { document: replayed, notes } = replayableDocument(document, { ...recording, batches });
  const interval = recording.batchIntervalMs;
  if (document.settings.batchIntervalMs !== interval) {
    notes.push(`the document's batch interval is ${document.settings.batchIntervalMs} ms; the recording's batches (${interval} ms) are replayed at the recorded interval`);
  }
  const doc: PipelineDocument = { ...replayed, settings: { ...replayed.settings, batchIntervalMs: interval } };

  const outputs = new Map<string, ReplayedOutput>();
  for (const node of outputNodes(document)) outputs.set(node.id, { nodeId: node.id, label: node.label ?? node.kind, kind: node.kind, batches: [] });
  let captured = 0;
  const capture = (nodeId: string, batchTimeMs: number, records: readonly unknown[]) => {
    const output = outputs.get(nodeId);
    if (!output) return;
    captured += records.length;
    if (captured > maxRecords) throw new ReplayLimitError(`the outputs hold more than ${maxRecords} records over the replayed batches, too many to compare`);
    output.batches.push({ batchTimeMs, records: records.map(formatRecord) });
  };
  const errors: ReplayNodeError[] = [];
  let batchTimeMs: number | undefined;
  const addError = (e: ReplayNodeError) => {
    if (errors.length < MAX_ERRORS) errors.push(e);
  };

  // One batch before the first recorded one: the first batch then falls on the recorded time.
  const clock = new ManualClock(batches[0].batchTimeMs - interval);
  const noop = () => undefined;
  const compiled = compilePipeline(doc, {
    clock,
    checkpointDir: options.checkpointDir,
    userFunction: options.userFunction,
    readTable: options.readTable,
    sinks: {
      print: noop,
      chart: noop,
      deadLetters: noop,
      table: noop,
      error: (e) => addError({ nodeId: e.nodeId, field: e.field, message: e.message, batchTimeMs }),
      flags: (nodeId, flags, t) => capture(nodeId, t, flags),
    },
  });
  const { ssc, streams } = compiled;
  for (const node of outputNodes(document)) {
    if (node.kind === "fraudFlags") continue; // its flags come through the flags sink
    const edge = doc.edges.find((e) => e.target === node.id && e.targetPort === "in") ?? doc.edges.find((e) => e.target === node.id);
    const input = edge ? streams.get(`${edge.source}:${edge.sourcePort}`) : undefined;
    if (!input) continue;
    // Cached, so that reading the records again does not run the functions upstream twice.
    if (input.storageLevel === StorageLevel.NONE) input.persist(StorageLevel.MEMORY_ONLY);
    (input as DStream<unknown>).foreachRDD((rdd, time) => capture(node.id, time.milliseconds, rdd.collect()));
  }
  ssc.addStreamingListener((event) => {
    if (event.type === "batchStarted") batchTimeMs = event.batchTimeMs;
    else if (event.type === "error") addError({ nodeId: event.streamId?.split(":")[0] ?? "run", message: event.message, batchTimeMs: event.batchTimeMs });
  });
  ssc.start();
  try {
    for (let i = 0; i < batches.length; i++) {
      clock.advance(Milliseconds(interval));
      await ssc.awaitBatchesDue();
      const limit = ssc.reportedError;
      if (limit instanceof ReplayLimitError) throw limit;
    }
  } finally {
    await ssc.stop({ stopGracefully: false });
  }
  for (const output of outputs.values()) output.batches.sort((a, b) => a.batchTimeMs - b.batchTimeMs);
  return { batchTimesMs: batches.map((b) => b.batchTimeMs), outputs: [...outputs.values()], errors, notes };
}
