import { PIPELINE_SCHEMA_VERSION, type PipelineDocument } from "./document";

/**
 * The pipeline a new installation opens on: the article's transaction stream from the
 * built-in generator, parsed, keyed by account and counted per batch, printed.
 */
export const sampleTransactionsPipeline: PipelineDocument = {
  schemaVersion: PIPELINE_SCHEMA_VERSION,
  name: "Transactions per account",
  description:
    "The article's transaction producer, built in: parse each line into a SimpleTransaction, key it by account number and count transactions per account in every 1 s batch.",
  settings: { batchIntervalMs: 1000, checkpointing: { enabled: false }, concurrentJobs: 1 },
  nodes: [
    { id: "generator", kind: "transactionGenerator", position: { x: 40, y: 120 }, config: { mode: "deterministic", timeScale: 5 } },
    { id: "parse", kind: "parseTransactions", position: { x: 300, y: 120 }, config: {} },
    { id: "byAccount", kind: "keyBy", position: { x: 560, y: 120 }, config: { field: "account_number" } },
    { id: "count", kind: "countByKey", position: { x: 820, y: 120 }, config: {} },
    { id: "print", kind: "print", position: { x: 1080, y: 120 }, config: { num: 10 } },
  ],
  edges: [
    { id: "e1", source: "generator", sourcePort: "out", target: "parse", targetPort: "in" },
    { id: "e2", source: "parse", sourcePort: "out", target: "byAccount", targetPort: "in" },
    { id: "e3", source: "byAccount", sourcePort: "out", target: "count", targetPort: "in" },
    { id: "e4", source: "count", sourcePort: "out", target: "print", targetPort: "in" },
  ],
};

/** The article's first example: queueStream of 1..10 (one per batch), modulo 4, printed, counted and counted by value. */
export const streamingBasicsTemplate: PipelineDocument = {
  schemaVersion: PIPELINE_SCHEMA_VERSION,
  name: "Streaming basics",
  description:
    "ssc.queueStream of the numbers 1..10, one list per 1 s batch, mapped modulo 4; print, count and countByValue show what each batch holds.",
  settings: { batchIntervalMs: 1000, checkpointing: { enabled: false }, concurrentJobs: 1 },
  nodes: [
    { id: "queue", kind: "queue", position: { x: 40, y: 160 }, config: { batches: [[1], [2], [3], [4], [5], [6], [7], [8], [9], [10]], oneAtATime: true } },
    { id: "mod4", kind: "map", position: { x: 300, y: 160 }, config: { fn: "(x) => x % 4" } },
    { id: "printValues", kind: "print", position: { x: 580, y: 40 }, config: { num: 10 } },
    { id: "count", kind: "count", position: { x: 580, y: 160 }, config: {} },
    { id: "countByValue", kind: "countByValue", position: { x: 580, y: 300 }, config: {} },
    { id: "printCount", kind: "print", position: { x: 840, y: 160 }, config: { num: 10 } },
    { id: "printCountByValue", kind: "print", position: { x: 840, y: 300 }, config: { num: 10 } },
  ],
  edges: [
    { id: "e1", source: "queue", sourcePort: "out", target: "mod4", targetPort: "in" },
    { id: "e2", source: "mod4", sourcePort: "out", target: "printValues", targetPort: "in" },
    { id: "e3", source: "mod4", sourcePort: "out", target: "count", targetPort: "in" },
    { id: "e4", source: "mod4", sourcePort: "out", target: "countByValue", targetPort: "in" },
    { id: "e5", source: "count", sourcePort: "out", target: "printCount", targetPort: "in" },
    { id: "e6", source: "countByValue", sourcePort: "out", target: "printCountByValue", targetPort: "in" },
  ],
};

/** The article's window: 1 s batches, a 3 s window sliding every 2 s, so windows overlap by one batch. */
export const windowExplorerTemplate: PipelineDocument = {
  schemaVersion: PIPELINE_SCHEMA_VERSION,
  name: "Window explorer",
  description: "1 s batches of the numbers 1..10; a 3 s window sliding every 2 s prints which batches each window holds, and how many records.",
  settings: { batchIntervalMs: 1000, checkpointing: { enabled: false }, concurrentJobs: 1 },
  nodes: [
    { id: "queue", kind: "queue", position: { x: 40, y: 160 }, config: { batches: [[1], [2], [3], [4], [5], [6], [7], [8], [9], [10]], oneAtATime: true } },
    { id: "window", kind: "window", position: { x: 300, y: 160 }, config: { windowMs: 3000, slideMs: 2000 } },
    { id: "printWindow", kind: "print", position: { x: 580, y: 80 }, config: { num: 10 } },
    { id: "count", kind: "count", position: { x: 580, y: 240 }, config: {} },
    { id: "printCount", kind: "print", position: { x: 840, y: 240 }, config: { num: 10 } },
  ],
  edges: [
    { id: "e1", source: "queue", sourcePort: "out", target: "window", targetPort: "in" },
    { id: "e2", source: "window", sourcePort: "out", target: "printWindow", targetPort: "in" },
    { id: "e3", source: "window", sourcePort: "out", target: "count", targetPort: "in" },
    { id: "e4", source: "count", sourcePort: "out", target: "printCount", targetPort: "in" },
  ],
};

/** Templates offered when creating a pipeline, by id. */
export const templates = {
  blank: {
    schemaVersion: PIPELINE_SCHEMA_VERSION,
    name: "Untitled pipeline",
    description: "",
    settings: { batchIntervalMs: 1000, checkpointing: { enabled: false }, concurrentJobs: 1 },
    nodes: [],
    edges: [],
  } satisfies PipelineDocument,
  streamingBasics: streamingBasicsTemplate,
  windowExplorer: windowExplorerTemplate,
  transactions: sampleTransactionsPipeline,
} as const;
export type TemplateId = keyof typeof templates;
