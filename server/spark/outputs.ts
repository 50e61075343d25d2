import type { PipelineDocument } from "@/engine/pipeline/document";
import { readField } from "@/engine/pipeline/catalog/fields";
import { printLines, type SparkLine, type SparkOutputLine } from "./runner";

/**
 * What a run's outputs produced, by output (`<kind>:<nodeId>`) and batch time, in the shapes our
 * engine's sinks receive them: print lines, chart values, dead letters, table rows, fraud flags.
 * Both engines' runs reduce to this, so that they can be compared batch by batch.
 */
export type BatchOutputs = Map<string, Map<number, unknown[]>>;

export function addOutput(outputs: BatchOutputs, key: string, batchTimeMs: number, records: readonly unknown[]): void {
  const byBatch = outputs.get(key) ?? new Map<number, unknown[]>();
  if (byBatch.has(batchTimeMs)) throw new Error(`${key} wrote twice for batch ${batchTimeMs}`);
  byBatch.set(batchTimeMs, [...records]);
  outputs.set(key, byBatch);
}

/** The chart tap's values of a batch, as the engine's chart sink computes them. */
export function chartValues(records: readonly unknown[], valueField: string): number[] {
  return records
    .map((r) => Number(valueField ? readField(r, valueField) : Array.isArray(r) && r.length === 2 ? r[1] : r))
    .filter((v) => Number.isFinite(v));
}

/** A Spark run's output lines as BatchOutputs. */
export function sparkBatchOutputs(lines: readonly SparkLine[], document: PipelineDocument): BatchOutputs {
  const outputs: BatchOutputs = new Map();
  const config = new Map(document.nodes.map((n) => [n.id, n.config]));
  for (const line of lines) {
    if (line.type !== "output") continue;
    const o = line as SparkOutputLine;
    const c = config.get(o.nodeId) ?? {};
    switch (o.kind) {
      case "print":
        addOutput(outputs, `print:${o.nodeId}`, o.batchTimeMs, printLines(o));
        break;
      case "chartTap":
        addOutput(outputs, `chartTap:${o.nodeId}`, o.batchTimeMs, chartValues(o.records, String(c.valueField ?? "")));
        break;
      case "databaseTable":
        addOutput(outputs, `databaseTable:${String(c.table)}`, o.batchTimeMs, o.records);
        break;
      default:
        addOutput(outputs, `${o.kind}:${o.nodeId}`, o.batchTimeMs, o.records);
    }
  }
  return outputs;
}
