/**
 * The socket.io event maps, declared once and typed on both ends. Types only: the browser
 * imports this file without pulling any server code.
 */
import type { StateQuery, StateReply } from "../runs/state/types";
import type { BatchSummary, CheckpointRecovery, DeadLetterReport, FlagReport, NodeErrorReport, PrintedBatch, RunSnapshot, RunStatus, RunTotals, SourcesView } from "../runs/types";

export interface ServerInfo {
  readonly name: "DStream Studio";
  readonly version: string;
  readonly startedAt: string;
}

/** A chart frame: the batches and printed output that changed since the previous frame. */
export interface RunFrame {
  runId: string;
  batches: BatchSummary[];
  printed: PrintedBatch[];
  /**
   * Numbered per run, 1, 2, 3...: frames are volatile, so a client that sees a gap knows it
   * missed one and asks for the snapshot again.
   */
  seq?: number;
  /** Whole-run counts after this frame. */
  totals?: RunTotals;
}

export interface RunStatusUpdate {
  runId: string;
  status: RunStatus;
  message?: string;
  nodeId?: string;
}

export type RunJoinReply = { ok: true; snapshot: RunSnapshot } | { ok: false; error: string };

export interface ServerToClientEvents {
  "server:info": (info: ServerInfo) => void;
  "run:frame": (frame: RunFrame) => void;
  "run:status": (update: RunStatusUpdate) => void;
  "run:nodeError": (payload: { runId: string; report: NodeErrorReport }) => void;
  "run:deadLetters": (payload: { runId: string; reports: DeadLetterReport[] }) => void;
  "run:flags": (payload: { runId: string; reports: FlagReport[] }) => void;
  /** A resuming run met damaged checkpoints (the files it skipped, the one it fell back to, or none usable). */
  "run:recovery": (payload: { runId: string; recovery: CheckpointRecovery }) => void;
  /** The run's sources now (rates, Kafka offsets and lag), about once a second. */
  "run:sources": (payload: { runId: string; sources: SourcesView }) => void;
}

export interface ClientToServerEvents {
  "server:ping": (ack: (reply: { now: number }) => void) => void;
  /** Joins a run's room; the reply holds the recent history, live frames follow. */
  "run:join": (runId: string, ack: (reply: RunJoinReply) => void) => void;
  "run:leave": (runId: string) => void;
  /** One page of a state stream, a diff between two batches, or the top keys over time. */
  "run:state": (runId: string, query: StateQuery, ack: (reply: StateReply) => void) => void;
}

/** The socket.io room of a run. */
export const runRoom = (runId: string): string => `run:${runId}`;
