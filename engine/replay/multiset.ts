import type { CountedRecord } from "./types";

/** How many times each record occurs. */
function counts(records: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const r of records) m.set(r, (m.get(r) ?? 0) + 1);
  return m;
}

/**
 * The multiset difference of two batches of records: what `after` has more of than `before`
 * (added) and less of (removed), each record with its surplus count, in first-seen order.
 * Order within a batch does not count (Spark gives none across partitions); multiplicity does.
 */
export function multisetDiff(before: readonly string[], after: readonly string[]): { added: CountedRecord[]; removed: CountedRecord[] } {
  const b = counts(before);
  const a = counts(after);
  const added: CountedRecord[] = [];
  const removed: CountedRecord[] = [];
  for (const [record, n] of a) {
    const surplus = n - (b.get(record) ?? 0);
    if (surplus > 0) added.push({ record, count: surplus });
  }
  for (const [record, n] of b) {
    const surplus = n - (a.get(record) ?? 0);
    if (surplus > 0) removed.push({ record, count: surplus });
  }
  return { added, removed };
}
