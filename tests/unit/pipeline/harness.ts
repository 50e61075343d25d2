import { ManualClock } from "@/engine/streaming/ManualClock";
import { Milliseconds } from "@/engine/streaming/Duration";
import { compilePipeline, type CompileEnvironment, type NodeErrorEvent } from "@/engine/pipeline/compile";
import { PIPELINE_SCHEMA_VERSION, type PipelineDocument } from "@/engine/pipeline/document";

export type N = [id: string, kind: string, config?: Record<string, unknown>];
export type E = [source: string, target: string, sourcePort?: string, targetPort?: string];

export function doc(nodes: N[], edges: E[], settings: Partial<PipelineDocument["settings"]> = {}): PipelineDocument {
  return {
    schemaVersion: PIPELINE_SCHEMA_VERSION,
    name: "spec",
    description: "",
    settings: { batchIntervalMs: 1000, checkpointing: { enabled: false }, concurrentJobs: 1, ...settings },
    nodes: nodes.map(([id, kind, config]) => ({ id, kind, position: { x: 0, y: 0 }, config: config ?? {} })),
    edges: edges.map(([source, target, sourcePort, targetPort], i) => ({ id: `e${i}`, source, target, sourcePort: sourcePort ?? "out", targetPort: targetPort ?? "in" })),
  };
}

export interface Captured {
  /** Records per batch per capture node (`deadLetters` nodes are used as capture sinks). */
  batches: Map<string, unknown[][]>;
  printed: Map<string, string[][]>;
  errors: NodeErrorEvent[];
  charts: { nodeId: string; label: string; values: number[] }[];
  tables: { table: string; rows: unknown[] }[];
}

/** Compiles a document on a manual clock, runs `batches` batches and returns what the outputs saw. */
export async function runDoc(document: PipelineDocument, batches: number, env: CompileEnvironment = {}): Promise<Captured> {
  const clock = new ManualClock(0);
  const captured: Captured = { batches: new Map(), printed: new Map(), errors: [], charts: [], tables: [] };
  const push = <T>(map: Map<string, T[]>, key: string, value: T) => map.set(key, [...(map.get(key) ?? []), value]);
  const { ssc } = compilePipeline(document, {
    clock,
    ...env,
    sinks: {
      print: (nodeId, lines) => push(captured.printed, nodeId, lines),
      deadLetters: (nodeId, records) => push(captured.batches, nodeId, records),
      error: (e) => captured.errors.push(e),
      chart: (nodeId, point) => captured.charts.push({ nodeId, ...point }),
      table: (table, rows) => void captured.tables.push({ table, rows }),
      ...env.sinks,
    },
  });
  ssc.start();
  try {
    for (let i = 0; i < batches; i++) {
      clock.advance(Milliseconds(document.settings.batchIntervalMs));
      await ssc.awaitBatchesDue();
    }
    // A failed batch (a watchdog timeout, a failing sink) fails the run, as awaitTermination would.
    if (ssc.reportedError !== undefined) throw ssc.reportedError;
  } finally {
    await ssc.stop();
  }
  return captured;
}
