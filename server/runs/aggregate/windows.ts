import type { BatchSummary, WindowSpan } from "../types";

/** A computed window with the batches that entered and left it since the window before. */
export interface ComputedWindow extends WindowSpan {
  entered: number[];
  left: number[];
}

/**
 * What the window timeline draws for one windowed stream, as the article's figures do:
 *
 *   parent batches   |  1 |  2 |  3 |  4 |  5 |  6 |      (batch buckets, one per parent batch)
 *   window at 4 s         [=============]                (covers (1 s, 4 s]: batches 2, 3, 4)
 *   window at 6 s                   [=============]      (slid by 2 s: 5, 6 entered; 2, 3 left)
 */
export interface WindowTimeline {
  streamId: string;
  streamName: string;
  windowDurationMs: number;
  slideDurationMs: number;
  /** True when the engine reported entered/left batches (a reduction with an inverse function); otherwise they are derived. */
  inverse: boolean;
  /** The spacing of the parent stream's batches (ms). */
  parentIntervalMs: number;
  /** The newest windows, oldest first. */
  windows: ComputedWindow[];
  /** Parent batch times from the oldest shown window's start to the newest window's end, oldest first. */
  batchTimesMs: number[];
}

const MAX_BUCKETS = 120;

function minGap(times: number[]): number | undefined {
  let gap: number | undefined;
  const sorted = [...new Set(times)].sort((a, b) => a - b);
  for (let i = 1; i < sorted.length; i++) {
    const d = sorted[i] - sorted[i - 1];
    if (d > 0 && (gap === undefined || d < gap)) gap = d;
  }
  return gap;
}

/**
 * Folds the windows computed in the retained batches into one timeline per windowed stream,
 * keeping the newest `maxWindows` windows. Entered/left batches come from the engine for the
 * inverse form; for the others they are derived by comparing each window with the one before.
 */
export function windowTimelines(batches: readonly BatchSummary[], batchIntervalMs: number, maxWindows = 6): WindowTimeline[] {
  const byStream = new Map<string, WindowSpan[]>();
  for (const b of batches) {
    for (const w of b.windows ?? []) {
      const list = byStream.get(w.streamId) ?? [];
      list.push(w);
      byStream.set(w.streamId, list);
    }
  }
  const out: WindowTimeline[] = [];
  for (const [streamId, spans] of byStream) {
    spans.sort((a, b) => a.windowEndMs - b.windowEndMs);
    // One window more than shown, so that the oldest shown one has a predecessor to compare with.
    const recent = spans.slice(-(maxWindows + 1));
    const windows: ComputedWindow[] = [];
    recent.forEach((w, i) => {
      const prev = i > 0 ? new Set(recent[i - 1].coveredTimesMs) : undefined;
      const now = new Set(w.coveredTimesMs);
      const entered = w.enteredTimesMs ?? (prev ? w.coveredTimesMs.filter((t) => !prev.has(t)) : [...w.coveredTimesMs]);
      const left = w.leftTimesMs ?? (prev ? [...prev].filter((t) => !now.has(t)) : []);
      windows.push({ ...w, entered: [...entered].sort((a, b) => a - b), left: [...left].sort((a, b) => a - b) });
    });
    const shown = windows.slice(-maxWindows);
    const latest = shown[shown.length - 1];
    const parentIntervalMs = minGap(shown.flatMap((w) => w.coveredTimesMs)) ?? batchIntervalMs;
    // No bucket before the first batch any shown window saw: early windows reach back before the zero time.
    const seen = shown.flatMap((w) => [...w.coveredTimesMs, ...w.left]);
    const from = Math.max(
      Math.min(...shown.map((w) => w.windowStartMs), ...shown.flatMap((w) => w.left.map((t) => t - parentIntervalMs))),
      seen.length > 0 ? Math.min(...seen) - parentIntervalMs : latest.windowStartMs,
    );
    const batchTimesMs: number[] = [];
    for (let t = latest.windowEndMs; t > from && batchTimesMs.length < MAX_BUCKETS; t -= parentIntervalMs) batchTimesMs.push(t);
    batchTimesMs.reverse();
    out.push({
      streamId,
      streamName: latest.streamName,
      windowDurationMs: latest.windowDurationMs,
      slideDurationMs: latest.slideDurationMs,
      inverse: latest.enteredTimesMs !== undefined,
      parentIntervalMs,
      windows: shown,
      batchTimesMs,
    });
  }
  return out.sort((a, b) => a.streamId.localeCompare(b.streamId));
}
