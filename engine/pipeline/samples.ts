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
    { id: "generator", kind: "transactionGenerator", position: { x: 40, y: 120 }, config: { mode: "deterministic", timeScale: 0.2 } },
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
