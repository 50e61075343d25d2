/**
 * One run, in a process of its own (started by process/RunProcess.ts through run-entry.mjs):
 * compiles the pipeline document into engine streams, starts the StreamingContext on a pausable
 * clock, and posts the engine's events, printed batches, node errors and dead letters to the run
 * hub. Pause, resume, step and stop come from the hub.
 */
import path from "node:path";
import { describeSkipped, recoverNewestUsable, type RecoveryOutcome } from "../../engine/checkpoint/recovery";
import { compilePipeline, PipelineCompileError, type CompileEnvironment } from "../../engine/pipeline/compile";
import { HISTORIC_AVERAGES_TABLE, historicAverageRows } from "../../engine/pipeline/samples";
import { compileUserFunction } from "../../engine/pipeline/userFunction";
import { hardenRealm } from "../../engine/pipeline/userCode/realm";
import { cassandraPipelineEnvironment } from "../../engine/sources/cassandra/pipelineEnvironment";
import { kafkaPipelineEnvironment } from "../../engine/sources/kafka/pipelineEnvironment";
import type { StreamingEvent } from "../../engine/streaming/events";
import type { StreamingContext } from "../../engine/streaming/StreamingContext";
import { formatSamples } from "./aggregate/samples";
import { PausableClock } from "./PausableClock";
import { InputRecorder } from "./replay/InputRecorder";
import { nodeDefinition } from "../../engine/pipeline/catalog";
import { StateTaps } from "./state/StateTaps";
import { sampleSources } from "./sourcesSampler";
import { attributePromisesToNodes, nodeOfPromise } from "./promiseAttribution";
import { lastBusyNode, markBatch, markBusy, onHubMessage, post, postAndWait, runData } from "./runChannel";
import type { DeadLetterReport, FlagReport, HubMessage, RunStatus, SkippedCheckpoint } from "./types";

/** Flags one flags node may send per batch; the rest are counted, not sent (a runaway rule must not flood the hub). */
const MAX_FLAGS_PER_BATCH = 200;

const data = await runData();
const { document } = data;
// The whole process is hardened before any document code runs: user functions then find every
// built-in frozen (engine/pipeline/userCode/realm.ts).
hardenRealm();

const setStatus = (status: RunStatus, message?: string, nodeId?: string): void => post({ type: "status", status, message, nodeId });
const nodeOfStream = (streamId: string | undefined): string | undefined => streamId?.split(":")[0];
const errorText = (e: unknown): string =>
  typeof e === "object" && e !== null && "message" in e ? String((e as { message: unknown }).message) : String(e);

// Events are posted in small bundles: one message per engine event would cost more than the event.
let pending: StreamingEvent[] = [];
let flushTimer: ReturnType<typeof setTimeout> | undefined;
function flushEvents(): void {
  flushTimer = undefined;
  if (pending.length === 0) return;
  post({ type: "events", events: pending });
  pending = [];
}

/** Makes an event safe to post: records become text (they may hold functions or class instances). */
function postable(event: StreamingEvent): StreamingEvent {
  switch (event.type) {
    case "streamRecords":
      return { ...event, sample: formatSamples(event.sample) };
    case "error":
      return { ...event, error: errorText(event.error) };
    case "receiverStarted":
    case "receiverStopped":
    case "receiverError":
      return { ...event, error: event.error === undefined ? undefined : errorText(event.error) };
    default:
      return event;
  }
}

// A promise a user function left behind (a job it queued, an async callback) that rejects is an
// error of the node that created it, not the end of the run.
attributePromisesToNodes();
process.on("unhandledRejection", (reason, promise) => {
  const nodeId = document.nodes[(nodeOfPromise(promise) || lastBusyNode()) - 1]?.id ?? "run";
  post({ type: "nodeError", report: { nodeId, message: `a promise rejected after its function returned: ${errorText(reason)}` } });
});

const clock = new PausableClock();
let ssc: StreamingContext | undefined;
let failed = false;
/** A source reported an error and no records have arrived since. */
let waiting = false;

function fail(message: string, nodeId?: string): void {
  if (failed) return;
  failed = true;
  flushEvents();
  setStatus("failed", message, nodeId);
  void ssc
    ?.stop({ stopGracefully: false })
    .then(() => postStateSnapshot())
    .finally(() => process.exit(1));
}

/** How often, at most, the state's newest snapshot is sent to be stored while the run goes on (ms). */
const STATE_SNAPSHOT_INTERVAL_MS = 5000;
let lastStateSnapshotAt = 0;

/**
 * Sends the newest state snapshot to the hub, which stores it: at stop, on failure, and every few
 * seconds in between (so that a run killed or lost with the server still leaves a recent one).
 */
function postStateSnapshot(): Promise<void> {
  lastStateSnapshotAt = Date.now();
  const snapshots = stateTaps?.snapshot() ?? [];
  return snapshots.length ? postAndWait({ type: "stateSnapshot", snapshots }) : Promise.resolve();
}

/** A user function's error that must stop the run (its watchdog fired), found along the cause chain. */
type FatalError = { fatal: true; message: string; nodeId?: string };
function fatalCause(error: unknown): FatalError | undefined {
  for (let e = error, depth = 0; typeof e === "object" && e !== null && depth < 10; depth++) {
    if ((e as { fatal?: unknown }).fatal === true) return e as FatalError;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

// The run's first input batches, kept for replays (none when the run resumes: see RunHub.launch).
const recorder = data.recording
  ? new InputRecorder(data.recording, (batch) => post({ type: "recordedBatch", ...batch }), (reason) => post({ type: "recordingEnded", reason }))
  : undefined;

function onEvent(event: StreamingEvent): void {
  if (event.type === "batchCompleted") recorder?.batchCompleted(event.batchTimeMs);
  // The sentinel reports how long the batch has run, so that the hub can stop one that overruns.
  if (event.type === "batchStarted") markBatch(Date.now());
  else if (event.type === "batchCompleted") markBatch(0);
  pending.push(postable(event));
  flushTimer ??= setTimeout(flushEvents, 50);
  const fatal = event.type === "error" ? fatalCause(event.error) : undefined;
  if (fatal) {
    const nodeId = fatal.nodeId ?? nodeOfStream(event.type === "error" ? event.streamId : undefined);
    fail(nodeId ? `node "${nodeId}": ${fatal.message}` : fatal.message, nodeId);
  }
  if (event.type === "receiverError" && !clock.paused) {
    waiting = true;
    setStatus("waiting", `${event.receiverName}: ${event.message ?? "source unavailable"}`);
  }
  // Records arriving again mean the source is back.
  if (waiting && event.type === "batchCompleted" && event.numRecords > 0) {
    waiting = false;
    setStatus("running");
  }
}

const checkpointDir = document.settings.checkpointing.enabled
  ? path.join(data.checkpointRoot ?? path.join(process.cwd(), "data", "checkpoints"), data.runId)
  : undefined;

const environment: CompileEnvironment = {
  clock,
  kafka: kafkaPipelineEnvironment(),
  cassandra: cassandraPipelineEnvironment(),
  checkpointDir,
  // The lookup tables, loaded by the hub when the run started (edits take effect on the next run).
  readTable: (table) => {
    const rows = data.tables?.[table];
    if (rows) return rows;
    if (!data.tables && table === HISTORIC_AVERAGES_TABLE) return historicAverageRows(); // a hub without a database
    const known = Object.keys(data.tables ?? {}).join(", ") || "none";
    throw new Error(`lookup table "${table}" was not loaded for this run (loaded: ${known})`);
  },
  userFunction: (source, where) => {
    const index = document.nodes.findIndex((n) => n.id === where.nodeId) + 1;
    // Evaluating the source runs user code too (an IIFE may loop forever).
    markBusy(index);
    const fn = compileUserFunction(source, { filename: `${where.nodeId}.${where.field}` });
    markBusy(0);
    // Marks the node as busy in shared memory, so that the hub can name it if the batch overruns.
    // One and two arguments (map, filter, reduce) avoid the rest array of the general form.
    switch (fn.length) {
      case 1:
        return (a: unknown) => {
          markBusy(index);
          try {
            return fn(a);
          } finally {
            markBusy(0);
          }
        };
      case 2:
        return (a: unknown, b: unknown) => {
          markBusy(index);
          try {
            return fn(a, b);
          } finally {
            markBusy(0);
          }
        };
      default:
        return (...args: unknown[]) => {
          markBusy(index);
          try {
            return fn(...args);
          } finally {
            markBusy(0);
          }
        };
    }
  },
  sinks: {
    print: (nodeId, lines, batchTimeMs) => post({ type: "print", printed: { nodeId, batchTimeMs, lines } }),
    error: (e) =>
      post({
        type: "nodeError",
        report: { nodeId: e.nodeId, field: e.field, message: e.message, record: formatSamples([e.record])[0] },
      }),
    deadLetters: (nodeId, records, batchTimeMs) => {
      if (records.length === 0) return;
      const reports: DeadLetterReport[] = formatSamples(records.slice(0, 100)).map((record) => ({ nodeId, batchTimeMs, record }));
      post({ type: "deadLetters", reports });
    },
    table: (table, rows, batchTimeMs) => {
      if (rows.length > 0) post({ type: "tableRows", table, rows, batchTimeMs });
    },
    flags: (nodeId, flags, batchTimeMs) => {
      if (flags.length === 0) return;
      const reports: FlagReport[] = flags.slice(0, MAX_FLAGS_PER_BATCH).map((flag) => ({ nodeId, batchTimeMs, flag }));
      // The output operation ends when the flags are stored: a batch that completes (and that a
      // checkpoint may then count as done) never loses them in a crash; one that does not is
      // computed again on recovery, and the store keeps its flags once.
      const ackId = ++lastFlagsAck;
      const stored = new Promise<void>((resolve) => {
        flagsAcks.set(ackId, resolve);
        // A hub that never answers must not hold the run: the flags were sent all the same.
        setTimeout(() => flagsAcks.delete(ackId) && resolve(), FLAGS_ACK_TIMEOUT_MS).unref();
      });
      post({ type: "flags", reports, dropped: Math.max(0, flags.length - MAX_FLAGS_PER_BATCH), ackId });
      return stored;
    },
  },
};

let stateTaps: StateTaps | undefined;

/** Flags sent and not yet stored by the hub, by ack id. */
const flagsAcks = new Map<number, () => void>();
let lastFlagsAck = 0;
const FLAGS_ACK_TIMEOUT_MS = 10_000;

onHubMessage((msg: HubMessage) => {
  switch (msg.type) {
    case "ping":
      post({ type: "pong", seq: msg.seq });
      return;
    case "flagsStored":
      flagsAcks.get(msg.ackId)?.();
      flagsAcks.delete(msg.ackId);
      return;
    case "stateQuery":
      try {
        if (!stateTaps) throw new Error("the run has not started its streams yet");
        post({ type: "stateReply", reqId: msg.reqId, reply: { ok: true, result: stateTaps.query(msg.query) } });
      } catch (e) {
        post({ type: "stateReply", reqId: msg.reqId, reply: { ok: false, error: errorText(e) } });
      }
      return;
    case "pause":
      clock.pause();
      setStatus("paused");
      return;
    case "resume":
      clock.resume();
      setStatus("running");
      return;
    case "step": {
      if (!clock.paused) clock.pause();
      const batchMs = document.settings.batchIntervalMs;
      clock.stepTo((Math.floor(clock.getTimeMillis() / batchMs) + 1) * batchMs);
      setStatus("paused", "stepped one batch");
      return;
    }
    case "stop":
      if (clock.paused) clock.resume(); // a graceful stop must be able to run what is due
      void (ssc?.stop({ stopGracefully: msg.graceful }) ?? Promise.resolve())
        .then(() => postStateSnapshot())
        .then(() => {
          flushEvents();
          setStatus("stopped");
          process.exit(0);
        });
      return;
  }
});

/** Compiles the document and taps its state streams; the same graph every time, so that a checkpoint fits it. */
function build(): StreamingContext {
  const compiled = compilePipeline(document, environment);
  for (const node of document.nodes) {
    const stream = compiled.streams.get(`${node.id}:out`);
    if (recorder && stream && nodeDefinition(node.kind)?.category === "Sources") recorder.tap(node.id, stream);
  }
  stateTaps = new StateTaps(document, compiled.streams, (streamId, batchTimeMs, counts) => {
    post({ type: "stateBatch", streamId, batchTimeMs, counts });
    if (Date.now() - lastStateSnapshotAt >= STATE_SNAPSHOT_INTERVAL_MS) void postStateSnapshot();
  });
  post({ type: "stateStreams", streamIds: stateTaps.streamIds });
  return compiled.ssc;
}

/**
 * A run resumed after a server restart recovers from the newest checkpoint that verifies when it
 * writes them, and says which newer files it skipped and why (the hub logs it and the run page
 * shows it). When checkpoint files exist but none verifies, it does not start over on its own:
 * the hub keeps the run stopped and asks the user. A checkpoint that does not fit (queueStream
 * refuses, as in Spark) makes it start afresh, saying so.
 */
function context(): StreamingContext {
  if (!data.resumed || !checkpointDir) return build();
  let outcome: RecoveryOutcome;
  try {
    outcome = recoverNewestUsable(checkpointDir, build);
  } catch (e) {
    setStatus("recovering", `could not recover from ${checkpointDir} (${errorText(e)}); starting the document afresh`);
    return build();
  }
  if (outcome.kind === "created") return outcome.ssc;
  const skipped: SkippedCheckpoint[] = (outcome.kind === "restored" ? outcome.skipped : outcome.search.skipped).map((s) => ({
    file: path.basename(s.file),
    kind: s.kind,
    reason: s.reason,
  }));
  const list = describeSkipped(outcome.kind === "restored" ? outcome.skipped : outcome.search.skipped).join("; ");
  if (outcome.kind === "restored") {
    if (skipped.length) {
      const restoredFrom = path.basename(outcome.file);
      const message = `skipped ${skipped.length} damaged checkpoint file${skipped.length === 1 ? "" : "s"} (${list}) and recovered from the older ${restoredFrom}`;
      post({ type: "checkpointRecovery", recovery: { skipped, restoredFrom, needsDecision: false, message } });
    }
    return outcome.ssc;
  }
  const message =
    `no usable checkpoint in ${checkpointDir}: ${list}. The run is kept stopped: resume it from scratch ` +
    "(its state starts empty) or keep it stopped";
  post({ type: "checkpointRecovery", recovery: { skipped, needsDecision: true, message } });
  throw new Error(message);
}

try {
  ssc = context();
  ssc.addStreamingListener(onEvent);
  ssc.start();
  sampleSources(ssc, (report) => post({ type: "sources", report }));
  setStatus("running", ssc.restoredFrom ? `recovered from checkpoint ${path.basename(ssc.restoredFrom.file)}` : undefined);
} catch (e) {
  const nodeId = e instanceof PipelineCompileError ? e.nodeId : undefined;
  fail(errorText(e), nodeId);
}
