import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { compilePipeline, type NodeErrorEvent } from "@/engine/pipeline/compile";
import { ManualClock } from "@/engine/streaming/ManualClock";
import { Milliseconds } from "@/engine/streaming/Duration";
import type { PipelineDocument } from "@/engine/pipeline/document";
import { runManyOnSpark, runnerDocument, runOnSpark, type SparkLine, type SparkNodeErrorLine } from "@/server/spark/runner";
import { addOutput, sparkBatchOutputs, type BatchOutputs } from "@/server/spark/outputs";

export type Tables = Readonly<Record<string, readonly Record<string, unknown>[]>>;

export interface EngineRun {
  outputs: BatchOutputs;
  errors: NodeErrorEvent[];
  tableReads: number;
}

/** Our engine on a manual clock from 0, `batches` batches, the same sinks reduced to BatchOutputs. */
export async function runOnEngine(input: unknown, batches: number, tables: Tables = {}): Promise<EngineRun> {
  const document = runnerDocument(input);
  const clock = new ManualClock(0);
  const outputs: BatchOutputs = new Map();
  const errors: NodeErrorEvent[] = [];
  let tableReads = 0;
  const checkpointDir = fs.mkdtempSync(path.join(os.tmpdir(), "engine-vs-spark-"));
  const { ssc } = compilePipeline(document, {
    clock,
    checkpointDir,
    readTable: (table) => {
      tableReads++;
      return tables[table] ?? [];
    },
    sinks: {
      print: (nodeId, lines, t) => addOutput(outputs, `print:${nodeId}`, t, lines),
      chart: (nodeId, point, t) => addOutput(outputs, `chartTap:${nodeId}`, t, point.values),
      deadLetters: (nodeId, records, t) => addOutput(outputs, `deadLetters:${nodeId}`, t, records),
      table: (table, rows, t) => addOutput(outputs, `databaseTable:${table}`, t, rows),
      flags: (nodeId, flags, t) => addOutput(outputs, `fraudFlags:${nodeId}`, t, flags),
      error: (e) => errors.push(e),
    },
  });
  ssc.start();
  try {
    for (let i = 0; i < batches; i++) {
      clock.advance(Milliseconds(document.settings.batchIntervalMs));
      await ssc.awaitBatchesDue();
    }
    if (ssc.reportedError !== undefined) throw ssc.reportedError;
  } finally {
    await ssc.stop();
    fs.rmSync(checkpointDir, { recursive: true, force: true });
  }
  return { outputs, errors, tableReads };
}

export interface SparkRun extends EngineRun {
  lines: SparkLine[];
  log: string;
}

/** A Spark run's lines as outputs and node errors, as the engine's run gives them. */
export function sparkRun(document: PipelineDocument, lines: SparkLine[], log: string, exitCode: number | null): SparkRun {
  const failed = lines.find((l) => l.type === "error");
  const ended = lines.find((l) => l.type === "runEnded") as { tableReads: number } | undefined;
  if (exitCode !== 0 || failed || !ended)
    throw new Error(
      `the Spark run failed (exit ${exitCode}): ${failed ? JSON.stringify(failed).slice(0, 2000) : log.slice(-4000)}`,
    );
  const errors = lines
    .filter((l): l is SparkNodeErrorLine => l.type === "nodeError")
    .map((e) => ({
      nodeId: e.nodeId,
      ...(e.field === null ? {} : { field: e.field }),
      message: e.message,
      record: e.record,
    }));
  return { outputs: sparkBatchOutputs(lines, document), errors, tableReads: ended.tableReads, lines, log };
}

/** The runner on Spark local[2], on Spark's ManualClock, `batches` batches. */
export async function runOnSparkLocal(input: unknown, batches: number, tables: Tables = {}): Promise<SparkRun> {
  const document = runnerDocument(input);
  const { lines, log, exitCode } = await runOnSpark({ document, batches, tables });
  return sparkRun(document, lines, log, exitCode);
}

/**
 * Many documents in one runner JVM (runManyOnSpark): each one's SparkRun, or the Error that
 * says why it has none (refused, failed), so that one document's failure fails its test only.
 */
export async function runManyOnSparkLocal(
  jobs: readonly { document: unknown; batches: number; tables?: Tables }[],
): Promise<(SparkRun | Error)[]> {
  const { results, exitCode, log } = await runManyOnSpark(jobs);
  return results.map((r, i) => {
    if (r.refusal) return r.refusal;
    try {
      // The batch's own exit code is the manifest's; a document's failure is in its lines.
      return sparkRun(runnerDocument(jobs[i].document), r.lines, log, exitCode === 0 ? 0 : exitCode);
    } catch (e) {
      return e instanceof Error ? e : new Error(String(e));
    }
  });
}

/**
 * A value in a canonical form: object keys sorted, undefined as null (JSON has no undefined),
 * numbers to 12 significant digits (a sum's last bits depend on the order its terms came in,
 * which a shuffle does not fix).
 */
export function canonical(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (typeof value === "number") return Number.isFinite(value) ? Number(value.toPrecision(12)) : null;
  if (typeof value === "string")
    return value.replace(/-?\d+\.\d{13,}/g, (n) => String(Number(Number(n).toPrecision(12))));
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value as object)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/** Outputs as { output: [[batch time, sorted canonical records]] }: every batch compared as a multiset. */
export function asMultisets(outputs: BatchOutputs): Record<string, [number, string[]][]> {
  return Object.fromEntries(
    [...outputs.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, byBatch]) => [
        key,
        [...byBatch.entries()]
          .sort(([a], [b]) => a - b)
          .map(([t, records]) => [t, records.map((r) => JSON.stringify(canonical(r))).sort()] as [number, string[]]),
      ]),
  );
}

export function errorsAsMultiset(errors: readonly NodeErrorEvent[]): string[] {
  return errors
    .map((e) =>
      JSON.stringify(canonical({ nodeId: e.nodeId, field: e.field ?? null, message: e.message, record: e.record })),
    )
    .sort();
}
