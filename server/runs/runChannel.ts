/**
 * The run process's side of its link to the run hub: the IPC channel of `child_process.fork`
 * for messages, and the cells the sentinel thread reports (set up by run-entry.mjs).
 */
import type { HubMessage, RunWorkerData, WorkerMessage } from "./types";

const cells = (globalThis as { __runCells?: Float64Array }).__runCells ?? new Float64Array(3);
delete (globalThis as { __runCells?: Float64Array }).__runCells;

/** Index + 1 of the node whose user function runs now (0: none); the hub names it if the batch overruns. */
export function markBusy(nodeIndex: number): void {
  cells[0] = nodeIndex;
  if (nodeIndex > 0) cells[1] = nodeIndex;
}

/** Index + 1 of the node whose user function runs now (0: none). */
export function busyNode(): number {
  return cells[0];
}

/** Index + 1 of the last node whose user function ran (0: none yet). */
export function lastBusyNode(): number {
  return cells[1];
}

/** When the batch now running started (epoch ms), 0 when none. */
export function markBatch(startedAt: number): void {
  cells[2] = startedAt;
}

export function post(msg: WorkerMessage): void {
  // The hub is gone when the channel is: the run ends with it.
  if (!process.send || !process.connected) return;
  process.send(msg);
}

/** Posts a message and resolves once it has left the process (before an exit that would drop it). */
export function postAndWait(msg: WorkerMessage): Promise<void> {
  if (!process.send || !process.connected) return Promise.resolve();
  return new Promise((resolve) => process.send!(msg, undefined, undefined, () => resolve()));
}

type Listener = (msg: HubMessage) => void;
const listeners: Listener[] = [];
// Messages that come before the run listens (a stop sent right after the start can arrive in the
// same read as the run's data) wait here instead of being lost.
const early: HubMessage[] = [];
let init: ((data: RunWorkerData) => void) | undefined;
const initData = new Promise<RunWorkerData>((resolve) => (init = resolve));

process.on("message", (msg: HubMessage) => {
  if (msg.type === "init") {
    init?.(msg.data);
    init = undefined;
    return;
  }
  if (listeners.length === 0) early.push(msg);
  for (const l of listeners) l(msg);
});
// The hub went away (crash or kill): nothing would watch or stop this run.
process.on("disconnect", () => process.exit(0));

export function onHubMessage(listener: Listener): void {
  listeners.push(listener);
  for (const msg of early.splice(0)) listener(msg);
}

/** The run's data, sent by the hub as the first message. */
export function runData(): Promise<RunWorkerData> {
  return initData;
}
