import type { BatchSummary, CheckpointRecovery, DeadLetterReport, FlagReport, NodeErrorReport, PrintedBatch, RunSnapshot, RunTotals, SourcesView } from "@/server/runs/types";
import type { RunFrame, RunStatusUpdate } from "@/server/socket/protocol";

/** Caps of the browser's copy, matching what the server retains. */
export const KEEP_BATCHES = 1000;
export const KEEP_PRINTED = 100;
export const KEEP_NODE_ERRORS = 200;
export const KEEP_DEAD_LETTERS = 200;
export const KEEP_FLAGS = 200;

/** The snapshot's lists the view always has (the snapshot may leave them out). */
type AlwaysListed = "deadLetters" | "flags" | "stateStreams" | "totals";

/** A run as the dashboard holds it: the joined snapshot with the frames since applied; batches oldest first. */
export type RunView = Omit<RunSnapshot, AlwaysListed | "frameSeq"> &
  Required<Pick<RunSnapshot, AlwaysListed>> & {
    /** The last frame's sequence number, when the server numbers frames. */
    lastSeq?: number;
  };

const isFinal = (b: BatchSummary | undefined): boolean => b !== undefined && (b.status === "completed" || b.status === "failed");

function countTotals(batches: readonly BatchSummary[]): RunTotals {
  const totals: RunTotals = { completedBatches: 0, failedBatches: 0, totalRecords: 0 };
  for (const b of batches) {
    if (!isFinal(b)) continue;
    totals.completedBatches++;
    if (b.status === "failed") totals.failedBatches++;
    totals.totalRecords += b.numRecords;
  }
  return totals;
}

export function fromSnapshot(s: RunSnapshot): RunView {
  const batches = [...s.batches].sort((a, b) => a.batchTimeMs - b.batchTimeMs).slice(-KEEP_BATCHES);
  return {
    runId: s.runId,
    pipelineId: s.pipelineId,
    name: s.name,
    status: s.status,
    message: s.message,
    errorNodeId: s.errorNodeId,
    startedAt: s.startedAt,
    batchIntervalMs: s.batchIntervalMs,
    batches,
    printed: s.printed.slice(-KEEP_PRINTED),
    nodeErrors: s.nodeErrors.slice(-KEEP_NODE_ERRORS),
    deadLetters: (s.deadLetters ?? []).slice(-KEEP_DEAD_LETTERS),
    flags: (s.flags ?? []).slice(-KEEP_FLAGS),
    stateStreams: s.stateStreams ?? [],
    totals: s.totals ? { ...s.totals } : countTotals(s.batches),
    lastSeq: s.frameSeq,
    recovery: s.recovery,
    sources: s.sources,
  };
}

/** The run's latest source report (rates, Kafka offsets and lag). */
export function applySources(view: RunView, runId: string, sources: SourcesView): RunView {
  return runId === view.runId ? { ...view, sources } : view;
}

/**
 * Whether frames were missed before `frame` (frames are volatile: a slow client loses some).
 * With numbered frames a gap in the numbers says so; without, a hole in the batch grid does.
 */
export function missedFrames(view: RunView, frame: RunFrame): boolean {
  if (frame.seq !== undefined && view.lastSeq !== undefined) return frame.seq > view.lastSeq + 1;
  const newest = view.batches[view.batches.length - 1];
  if (!newest) return false;
  const known = new Set(view.batches.map((b) => b.batchTimeMs));
  const fresh = frame.batches.filter((b) => !known.has(b.batchTimeMs) && b.batchTimeMs > newest.batchTimeMs);
  if (fresh.length === 0) return false;
  const earliest = Math.min(...fresh.map((b) => b.batchTimeMs));
  return earliest > newest.batchTimeMs + view.batchIntervalMs;
}

/**
 * Applies a frame: its batches replace the ones with the same time (the server sends whole
 * summaries), printed output is appended. Returns the new view and whether frames were missed,
 * in which case the caller should ask for the snapshot again.
 */
export function applyFrame(view: RunView, frame: RunFrame): { view: RunView; missed: boolean } {
  if (frame.runId !== view.runId) return { view, missed: false };
  const missed = missedFrames(view, frame);
  const byTime = new Map(view.batches.map((b) => [b.batchTimeMs, b]));
  const totals = { ...view.totals };
  for (const b of frame.batches) {
    const before = byTime.get(b.batchTimeMs);
    if (!frame.totals && isFinal(b) && !isFinal(before)) {
      totals.completedBatches++;
      if (b.status === "failed") totals.failedBatches++;
      totals.totalRecords += b.numRecords;
    }
    byTime.set(b.batchTimeMs, before ? keepDetails(before, b) : b);
  }
  const batches = [...byTime.values()].sort((a, b) => a.batchTimeMs - b.batchTimeMs).slice(-KEEP_BATCHES);
  return {
    missed,
    view: {
      ...view,
      batches,
      printed: frame.printed.length ? appendPrinted(view.printed, frame.printed) : view.printed,
      totals: frame.totals ? { ...frame.totals } : totals,
      lastSeq: frame.seq ?? view.lastSeq,
    },
  };
}

/** A later summary of a batch wins, but details it no longer carries (pruned on the server) are kept. */
function keepDetails(before: BatchSummary, after: BatchSummary): BatchSummary {
  return {
    ...after,
    samples: after.samples ?? before.samples,
    streamNames: after.streamNames ?? before.streamNames,
    windows: after.windows ?? before.windows,
    state: after.state ?? before.state,
    flags: after.flags ?? before.flags,
  };
}

export function applyRecovery(view: RunView, runId: string, recovery: CheckpointRecovery): RunView {
  return runId === view.runId ? { ...view, recovery } : view;
}

export function applyStatus(view: RunView, u: RunStatusUpdate): RunView {
  if (u.runId !== view.runId) return view;
  return { ...view, status: u.status, message: u.message, errorNodeId: u.nodeId ?? view.errorNodeId };
}

export function applyNodeError(view: RunView, runId: string, report: NodeErrorReport): RunView {
  if (runId !== view.runId) return view;
  return { ...view, nodeErrors: [...view.nodeErrors, report].slice(-KEEP_NODE_ERRORS) };
}

export function applyDeadLetters(view: RunView, runId: string, reports: readonly DeadLetterReport[]): RunView {
  if (runId !== view.runId || reports.length === 0) return view;
  return { ...view, deadLetters: [...view.deadLetters, ...reports].slice(-KEEP_DEAD_LETTERS) };
}

export function applyFlags(view: RunView, runId: string, reports: readonly FlagReport[]): RunView {
  if (runId !== view.runId || reports.length === 0) return view;
  return { ...view, flags: [...view.flags, ...reports].slice(-KEEP_FLAGS) };
}

/**
 * Printed output with a frame's appended: one entry per print node and batch, the newer one kept.
 * A frame may repeat what the snapshot that preceded it already held (a browser that joins while
 * a batch is printed), and the console keys its lines by node and batch.
 */
export function appendPrinted(old: readonly PrintedBatch[], added: readonly PrintedBatch[]): PrintedBatch[] {
  const key = (p: PrintedBatch) => `${p.nodeId}@${p.batchTimeMs}`;
  const replaced = new Set(added.map(key));
  // Stable: the print nodes of one batch keep their order.
  const merged = [...old.filter((p) => !replaced.has(key(p))), ...added].sort((a, b) => a.batchTimeMs - b.batchTimeMs);
  return merged.slice(-KEEP_PRINTED);
}
