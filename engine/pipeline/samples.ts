import { PIPELINE_SCHEMA_VERSION, type PipelineDocument, type PipelineNode } from "./document";

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

/**
 * Historic average transaction per account (the article's Cassandra table
 * `finances.account_aggregates`), seeding the `account_aggregates` lookup table. With the
 * deterministic producer (amounts by account: 123-ABC-789 10.34/1073.12, 456-DEF-456 94.65/20.0,
 * 333-XYZ-999 2.49/7.92, 987-CBA-321 306.21/4322.33) the first three stay near their history and are
 * never flagged. 987-CBA-321's history of 250 sits just under its running average minus 2000 when
 * its 306.21 and 4322.33 transactions are balanced (2314.27 - 250 > 2000) but over it once an extra
 * 306.21 pulls the average down (e.g. 2233.95): so the `averageTx` rule fires in some windows only,
 * including windows without any new transaction (updateStateByKey still runs), and the
 * `windowSpendingAvg` rule fires in windows whose average is 2314.27 or 4322.33, not 306.21 or 0
 * (with the producer's timing from the start of the first batch; windows that fall otherwise mix
 * the two amounts otherwise, e.g. 306.21 + 2 × 4322.33 averaging 2983.62, flagged too).
 */
export const ARTICLE_HISTORIC_AVERAGES: Readonly<Record<string, number>> = {
  "123-ABC-789": 500,
  "456-DEF-456": 60,
  "333-XYZ-999": 5,
  "987-CBA-321": 250,
};

/** The lookup table both fraud templates read the historic averages from. */
export const HISTORIC_AVERAGES_TABLE = "account_aggregates";

/** Rows of `account_aggregates` for a seed (tests and the server's first run use the article's). */
export function historicAverageRows(averages: Readonly<Record<string, number>> = ARTICLE_HISTORIC_AVERAGES) {
  return Object.entries(averages).map(([account_number, average_transaction]) => ({ account_number, average_transaction }));
}

/** The article's 5 s batches, checkpointing on (state), source and parsing shared by both templates. */
const fraudSettings = { batchIntervalMs: 5000, checkpointing: { enabled: true }, concurrentJobs: 1 };
const fraudSourceNodes: PipelineDocument["nodes"] = [
  { id: "transactions", kind: "transactionGenerator", label: "Transactions (generator; swap for Kafka)", position: { x: 40, y: 160 }, config: { mode: "deterministic", timeScale: 1 } },
  { id: "parse", kind: "parseTransactions", label: "tryConversionToSimpleTransaction", position: { x: 300, y: 160 }, config: {} },
  { id: "unparsable", kind: "deadLetters", label: "UnparsableTransaction", position: { x: 560, y: 320 }, config: {} },
  { id: "byAccount", kind: "keyBy", position: { x: 560, y: 160 }, config: { field: "account_number" } },
];
const fraudSourceEdges: PipelineDocument["edges"] = [
  { id: "e1", source: "transactions", sourcePort: "out", target: "parse", targetPort: "in" },
  { id: "e2", source: "parse", sourcePort: "deadLetter", target: "unparsable", targetPort: "in" },
  { id: "e3", source: "parse", sourcePort: "out", target: "byAccount", targetPort: "in" },
];

/** "Utilizing State for Speedy Fraud Detection": window, updateStateByKey, join with history, filter. */
export const fraudUpdateStateByKeyTemplate: PipelineDocument = {
  schemaVersion: PIPELINE_SCHEMA_VERSION,
  name: "Fraud detection (updateStateByKey)",
  description:
    "The article's stateful fraud detection: transactions keyed by account, windowed 10 s / 10 s, folded by updateStateByKey into AggregateData (totalSpending, numTx, windowSpendingAvg, averageTx), joined with the historic averages of table account_aggregates (read once and cached), flagged when averageTx or windowSpendingAvg exceeds the historic average by more than 2000.",
  settings: fraudSettings,
  nodes: [
    ...fraudSourceNodes,
    { id: "window", kind: "window", position: { x: 820, y: 160 }, config: { windowMs: 10_000, slideMs: 10_000 } },
    { id: "aggregate", kind: "aggregateState", label: "updateStateByKey[AggregateData]", position: { x: 1080, y: 160 }, config: {} },
    { id: "historic", kind: "lookupJoin", label: "join storedHistoric", position: { x: 1340, y: 160 }, config: { table: HISTORIC_AVERAGES_TABLE, keyField: "account_number", valueField: "average_transaction", outer: false, once: true } },
    { id: "rules", kind: "fraudRules", position: { x: 1600, y: 160 }, config: { threshold: 2000 } },
    { id: "flags", kind: "fraudFlags", position: { x: 1860, y: 100 }, config: {} },
    { id: "print", kind: "print", position: { x: 1860, y: 240 }, config: { num: 10 } },
  ],
  edges: [
    ...fraudSourceEdges,
    { id: "e4", source: "byAccount", sourcePort: "out", target: "window", targetPort: "in" },
    { id: "e5", source: "window", sourcePort: "out", target: "aggregate", targetPort: "in" },
    { id: "e6", source: "aggregate", sourcePort: "out", target: "historic", targetPort: "in" },
    { id: "e7", source: "historic", sourcePort: "out", target: "rules", targetPort: "in" },
    { id: "e8", source: "rules", sourcePort: "out", target: "flags", targetPort: "in" },
    { id: "e9", source: "rules", sourcePort: "out", target: "print", targetPort: "in" },
  ],
};

/** The article's source: KafkaUtils.createStream on topic `transactions`, group `transactions-group`. */
function articleKafkaSource(node: PipelineNode): PipelineNode {
  return { ...node, kind: "kafka", label: "KafkaUtils.createStream(transactions)", config: { brokers: ["localhost:9092"], topic: "transactions", groupId: "transactions-group", maxRecordsPerBatch: 10_000 } };
}
/** The article's storedHistoric: Cassandra's finances.account_aggregates, read once per run. */
const articleHistoricJoin = {
  kind: "lookupJoin",
  label: "join storedHistoric (cassandraTable finances.account_aggregates)",
  config: {
    table: HISTORIC_AVERAGES_TABLE,
    keyField: "account_number",
    valueField: "average_transaction",
    outer: false,
    once: true,
    source: "cassandra",
    contactPoints: ["localhost:9042"],
    localDataCenter: "datacenter1",
    keyspace: "finances",
    refreshEveryBatches: 0,
  },
} as const;

/**
 * The article's own setup of the updateStateByKey detector: transactions from Kafka (topic
 * `transactions`, the article's consumer group) and the historic averages from Cassandra's
 * `finances.account_aggregates`, read once per run as its `storedHistoric`. Everything between is
 * the template above. Needs a broker and a Cassandra: `npm run kafka:start`, `npm run cassandra:start`.
 */
export const fraudArticleKafkaCassandraTemplate: PipelineDocument = {
  ...fraudUpdateStateByKeyTemplate,
  name: "Fraud detection (the article: Kafka + Cassandra)",
  description: `${fraudUpdateStateByKeyTemplate.description} As in the article: transactions from Kafka topic transactions, historic averages from Cassandra's finances.account_aggregates.`,
  nodes: fraudUpdateStateByKeyTemplate.nodes.map((n) => {
    if (n.id === "transactions") return articleKafkaSource(n);
    if (n.id === "historic") return { ...n, label: articleHistoricJoin.label, config: { ...articleHistoricJoin.config } };
    return n;
  }),
};

/** "An improved stateful stream via mapWithState": list windows with an inverse, mapWithState, snapshots. */
export const fraudMapWithStateTemplate: PipelineDocument = {
  schemaVersion: PIPELINE_SCHEMA_VERSION,
  name: "Fraud detection (mapWithState)",
  description:
    "The article's mapWithState version: each account's transactions become a list, reduceByKeyAndWindow concatenates them with list difference as its inverse (10 s / 10 s; built in, the inverse removes transactions by id), mapWithState updates AggregateData and emits EvaluatedSimpleTransaction (isPossibleFraud = amount > 4000) with a 30 s state timeout; stateSnapshots show the state.",
  settings: fraudSettings,
  nodes: [
    ...fraudSourceNodes,
    {
      id: "window",
      kind: "listByKeyAndWindow",
      label: "mapValues(List(_)).reduceByKeyAndWindow(_ ++ _, _ diff _)",
      position: { x: 820, y: 160 },
      // Scala's `txs diff oldTxs` removes one occurrence per old transaction: equality by id here.
      config: { idField: "id", windowMs: 10_000, slideMs: 10_000 },
    },
    { id: "evaluate", kind: "aggregateWithState", label: "mapWithState(StateSpec.function(...))", position: { x: 1080, y: 160 }, config: { fraudAmount: 4000, timeoutMs: 30_000 } },
    { id: "flags", kind: "fraudFlags", position: { x: 1340, y: 100 }, config: {} },
    { id: "stateSnapshots", kind: "print", label: "stateSnapshots", position: { x: 1340, y: 240 }, config: { num: 10 } },
  ],
  edges: [
    ...fraudSourceEdges,
    { id: "e4", source: "byAccount", sourcePort: "out", target: "window", targetPort: "in" },
    { id: "e6", source: "window", sourcePort: "out", target: "evaluate", targetPort: "in" },
    { id: "e7", source: "evaluate", sourcePort: "out", target: "flags", targetPort: "in" },
    { id: "e8", source: "evaluate", sourcePort: "snapshots", target: "stateSnapshots", targetPort: "in" },
  ],
};

/**
 * The article's mapWithState detector with its Kafka source and its historic table. The article
 * ends that section with `.stateSnapshots` and "our code is back to what it was before": the
 * snapshots are (account, AggregateData) as updateStateByKey gave them, so they go on into the same
 * join with storedHistoric (Cassandra's finances.account_aggregates, read once per run) and the same
 * rules, flagged beside the mapped transactions' amount > 4000. Needs a broker and a Cassandra.
 */
export const fraudArticleMapWithStateKafkaCassandraTemplate: PipelineDocument = {
  ...fraudMapWithStateTemplate,
  name: "Fraud detection (mapWithState, the article: Kafka + Cassandra)",
  description: `${fraudMapWithStateTemplate.description} As in the article: transactions from Kafka topic transactions; the state snapshots joined with the historic averages of Cassandra's finances.account_aggregates (read once) and flagged when averageTx or windowSpendingAvg exceeds them by more than 2000.`,
  nodes: [
    ...fraudMapWithStateTemplate.nodes.map((n) => (n.id === "transactions" ? articleKafkaSource(n) : n)),
    { id: "historic", ...articleHistoricJoin, position: { x: 1340, y: 400 }, config: { ...articleHistoricJoin.config } },
    { id: "rules", kind: "fraudRules", position: { x: 1600, y: 400 }, config: { threshold: 2000 } },
    { id: "historicFlags", kind: "fraudFlags", label: "flags against storedHistoric", position: { x: 1860, y: 400 }, config: {} },
  ],
  edges: [
    ...fraudMapWithStateTemplate.edges,
    { id: "e9", source: "evaluate", sourcePort: "snapshots", target: "historic", targetPort: "in" },
    { id: "e10", source: "historic", sourcePort: "out", target: "rules", targetPort: "in" },
    { id: "e11", source: "rules", sourcePort: "out", target: "historicFlags", targetPort: "in" },
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
  fraudUpdateStateByKey: fraudUpdateStateByKeyTemplate,
  fraudMapWithState: fraudMapWithStateTemplate,
} as const;
export type TemplateId = keyof typeof templates;
