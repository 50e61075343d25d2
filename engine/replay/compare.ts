import { multisetDiff } from "./multiset";
import type { BatchReplay, OutputBatchChange, OutputComparison, ReplayComparison, ReplayedOutput, ReplayResult } from "./types";

/** An output's records at one batch time; a batch the output had no RDD for counts as empty. */
function recordsAt(output: ReplayedOutput | undefined, batchTimeMs: number): string[] {
  if (!output) return [];
  const found = output.batches.filter((b) => b.batchTimeMs === batchTimeMs);
  return found.length === 1 ? found[0].records : found.flatMap((b) => b.records);
}

/** Every batch time at which either side's output received an RDD, in order. */
function timesOf(...outputs: (ReplayedOutput | undefined)[]): number[] {
  const times = new Set<number>();
  for (const o of outputs) for (const b of o?.batches ?? []) times.add(b.batchTimeMs);
  return [...times].sort((x, y) => x - y);
}

/** Output ids of both sides, `before`'s order first. */
function outputIds(before: ReplayResult, after: ReplayResult): string[] {
  return [...new Set([...before.outputs.map((o) => o.nodeId), ...after.outputs.map((o) => o.nodeId)])];
}

/**
 * Compares two documents' replays of the same recording: per output (matched by node id), per
 * batch, the records added and removed as multisets. An output found in one document only is
 * reported with `only` and every batch it received counts as changed.
 */
export function compareReplays(before: ReplayResult, after: ReplayResult): ReplayComparison {
  const outputs: OutputComparison[] = [];
  let differences = 0;
  for (const nodeId of outputIds(before, after)) {
    const b = before.outputs.find((o) => o.nodeId === nodeId);
    const a = after.outputs.find((o) => o.nodeId === nodeId);
    const changed: OutputBatchChange[] = [];
    let unchanged = 0;
    for (const t of timesOf(b, a)) {
      const was = recordsAt(b, t);
      const is = recordsAt(a, t);
      const { added, removed } = multisetDiff(was, is);
      const presenceChanged = !a || !b;
      if (added.length === 0 && removed.length === 0 && !presenceChanged) {
        unchanged++;
        continue;
      }
      changed.push({ batchTimeMs: t, added, removed, beforeCount: was.length, afterCount: is.length });
    }
    differences += changed.length;
    // An output present on one side that received nothing is still a difference of the documents.
    if ((!a || !b) && changed.length === 0) differences++;
    outputs.push({ nodeId, label: (a ?? b)!.label, only: !a ? "before" : !b ? "after" : undefined, changed, unchanged });
  }
  return {
    batchTimesMs: after.batchTimesMs.length >= before.batchTimesMs.length ? after.batchTimesMs : before.batchTimesMs,
    outputs,
    differences,
    errors: { before: before.errors, after: after.errors },
    notes: { before: before.notes, after: after.notes },
  };
}

/** Records shown per output and side in a batch view; the counts and the diff stay exact. */
const SHOWN_RECORDS = 500;

/** One batch of two replays side by side: each output's records before and after, and the difference. */
export function batchReplay(before: ReplayResult, after: ReplayResult, batchTimeMs: number): BatchReplay {
  const inBatch = <T extends { batchTimeMs?: number }>(errors: T[]) => errors.filter((e) => e.batchTimeMs === batchTimeMs);
  return {
    batchTimeMs,
    outputs: outputIds(before, after).map((nodeId) => {
      const b = before.outputs.find((o) => o.nodeId === nodeId);
      const a = after.outputs.find((o) => o.nodeId === nodeId);
      const was = recordsAt(b, batchTimeMs);
      const is = recordsAt(a, batchTimeMs);
      return {
        nodeId,
        label: (a ?? b)!.label,
        only: !a ? ("before" as const) : !b ? ("after" as const) : undefined,
        before: was.slice(0, SHOWN_RECORDS),
        after: is.slice(0, SHOWN_RECORDS),
        beforeCount: was.length,
        afterCount: is.length,
        ...multisetDiff(was, is),
      };
    }),
    errors: { before: inBatch(before.errors), after: inBatch(after.errors) },
    notes: { before: before.notes, after: after.notes },
  };
}
