import type { ReplayComparison } from "../../../engine/replay/types";

/** Records listed per side of a changed batch in the text form; the counts stay exact. */
const LISTED = 20;

/** A comparison as text for a terminal or a CI log: per output, per changed batch, `+` added and `-` removed records. */
export function formatComparison(runId: string, c: ReplayComparison): string {
  const lines: string[] = [];
  const first = c.batchTimesMs[0];
  const last = c.batchTimesMs.at(-1);
  lines.push(`replayed ${c.batchTimesMs.length} recorded batch${c.batchTimesMs.length === 1 ? "" : "es"} of run ${runId} (${first} ms to ${last} ms)`);
  for (const note of [...new Set([...c.notes.before, ...c.notes.after])]) lines.push(`note: ${note}`);
  for (const o of c.outputs) {
    const name = `output "${o.nodeId}" (${o.label})`;
    if (o.only) lines.push(`${name}: only in the ${o.only === "before" ? "run's document" : "document compared"}`);
    if (o.changed.length === 0) {
      if (!o.only) lines.push(`${name}: no change in ${o.unchanged} batch${o.unchanged === 1 ? "" : "es"}`);
      continue;
    }
    lines.push(`${name}: ${o.changed.length} of ${o.changed.length + o.unchanged} batches changed`);
    for (const b of o.changed) {
      const added = b.added.reduce((n, r) => n + r.count, 0);
      const removed = b.removed.reduce((n, r) => n + r.count, 0);
      lines.push(`  batch ${b.batchTimeMs} ms: +${added} -${removed} (${b.beforeCount} records before, ${b.afterCount} after)`);
      for (const r of b.added.slice(0, LISTED)) lines.push(`    + ${r.record}${r.count > 1 ? `  (x${r.count})` : ""}`);
      if (b.added.length > LISTED) lines.push(`    + … ${b.added.length - LISTED} more`);
      for (const r of b.removed.slice(0, LISTED)) lines.push(`    - ${r.record}${r.count > 1 ? `  (x${r.count})` : ""}`);
      if (b.removed.length > LISTED) lines.push(`    - … ${b.removed.length - LISTED} more`);
    }
  }
  for (const [side, errors] of [["run's document", c.errors.before], ["document compared", c.errors.after]] as const) {
    for (const e of errors.slice(0, LISTED)) lines.push(`error in the ${side}: node "${e.nodeId}"${e.field ? ` (${e.field})` : ""}${e.batchTimeMs !== undefined ? ` at ${e.batchTimeMs} ms` : ""}: ${e.message}`);
  }
  lines.push(c.differences === 0 ? "no differences" : `${c.differences} difference${c.differences === 1 ? "" : "s"} (output batches changed)`);
  return lines.join("\n");
}
