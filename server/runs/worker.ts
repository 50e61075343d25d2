/**
 * The thread of one run: compiles the pipeline document into engine streams, starts the
 * StreamingContext on a pausable clock, and posts the engine's events, printed batches,
 * node errors and dead letters to the run hub. Pause, resume, step and stop come from the hub.
 */
import path from "node:path";
import { parentPort, workerData } from "node:worker_threads";
import { compilePipeline, PipelineCompileError, type CompileEnvironment } from "../../engine/pipeline/compile";
import { compileUserFunction } from "../../engine/pipeline/userFunction";
import { kafkaPipelineEnvironment } from "../../engine/sources/kafka/pipelineEnvironment";
import type { StreamingEvent } from "../../engine/streaming/events";
import type { StreamingContext } from "../../engine/streaming/StreamingContext";
import { formatSamples } from "./aggregate/samples";
import { PausableClock } from "./PausableClock";
import type { DeadLetterReport, HubMessage, RunStatus, RunWorkerData, WorkerMessage } from "./types";

const port = parentPort;
if (!port) throw new Error("server/runs/worker.ts runs only as a worker thread of the run hub");
const data = workerData as RunWorkerData;
const { document } = data;

const post = (msg: WorkerMessage): void => port.postMessage(msg);
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

const clock = new PausableClock();
let ssc: StreamingContext | undefined;
let failed = false;

function fail(message: string, nodeId?: string): void {
  if (failed) return;
  failed = true;
  flushEvents();
  setStatus("failed", message, nodeId);
  void ssc?.stop({ stopGracefully: false }).finally(() => process.exit(1));
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

function onEvent(event: StreamingEvent): void {
  pending.push(postable(event));
  flushTimer ??= setTimeout(flushEvents, 50);
  const fatal = event.type === "error" ? fatalCause(event.error) : undefined;
  if (fatal) {
    const nodeId = fatal.nodeId ?? nodeOfStream(event.type === "error" ? event.streamId : undefined);
    fail(nodeId ? `node "${nodeId}": ${fatal.message}` : fatal.message, nodeId);
  }
  if (event.type === "receiverError") setStatus("waiting", `${event.receiverName}: ${event.message ?? "source unavailable"}`);
}

const environment: CompileEnvironment = {
  clock,
  kafka: kafkaPipelineEnvironment(),
  checkpointDir: document.settings.checkpointing.enabled
    ? path.join(data.checkpointRoot ?? path.join(process.cwd(), "data", "checkpoints"), data.runId)
    : undefined,
  userFunction: (source, where) => {
    const fn = compileUserFunction(source, { filename: `${where.nodeId}.${where.field}` });
    const index = document.nodes.findIndex((n) => n.id === where.nodeId) + 1;
    // Marks the node as busy in shared memory, so that the hub's watchdog can name it.
    return (...args: unknown[]) => {
      Atomics.store(data.busyNode, 0, index);
      try {
        return fn(...args);
      } catch (e) {
        // Tag a fatal error with its node here, where the node is known for certain.
        if (fatalCause(e) === e) (e as FatalError).nodeId ??= where.nodeId;
        throw e;
      } finally {
        Atomics.store(data.busyNode, 0, 0);
      }
    };
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
  },
};

port.on("message", (msg: HubMessage) => {
  switch (msg.type) {
    case "ping":
      post({ type: "pong", seq: msg.seq });
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
      void (ssc?.stop({ stopGracefully: msg.graceful }) ?? Promise.resolve()).then(() => {
        flushEvents();
        setStatus("stopped");
        process.exit(0);
      });
      return;
  }
});

try {
  const compiled = compilePipeline(document, environment);
  ssc = compiled.ssc;
  ssc.addStreamingListener(onEvent);
  ssc.start();
  setStatus("running");
} catch (e) {
  const nodeId = e instanceof PipelineCompileError ? e.nodeId : undefined;
  fail(errorText(e), nodeId);
}
