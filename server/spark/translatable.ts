import type { PipelineDocument } from "@/engine/pipeline/document";

/**
 * The node kinds the Spark runner (spark/src/main/scala/dstream/studio/Translate.scala) builds
 * with Spark's operators. Keep in step with its `kind match`; the runner refuses the others too.
 */
export const SPARK_TRANSLATED_KINDS: ReadonlySet<string> = new Set([
  "queue",
  "transactionGenerator",
  "map",
  "mapToPair",
  "flatMap",
  "filter",
  "mapPartitions",
  "glom",
  "repartition",
  "union",
  "count",
  "countByValue",
  "reduce",
  "transform",
  "keyBy",
  "mapValues",
  "flatMapValues",
  "groupByKey",
  "reduceByKey",
  "countByKey",
  "aggregate",
  "window",
  "countByWindow",
  "reduceByWindow",
  "countByValueAndWindow",
  "groupByKeyAndWindow",
  "reduceByKeyAndWindow",
  "updateStateByKey",
  "mapWithState",
  "join",
  "leftOuterJoin",
  "rightOuterJoin",
  "fullOuterJoin",
  "cogroup",
  "lookupJoin",
  "parseTransactions",
  "thresholdFilter",
  "aggregateState",
  "aggregateWithState",
  "fraudRules",
  "print",
  "deadLetters",
  "chartTap",
  "databaseTable",
  "fraudFlags",
]);

export interface SparkRefusalReason {
  readonly nodeId: string;
  readonly message: string;
}

/** The nodes a Spark run must refuse before anything starts, each named. */
export function untranslatableNodes(document: PipelineDocument): SparkRefusalReason[] {
  return document.nodes
    .filter((n) => !SPARK_TRANSLATED_KINDS.has(n.kind))
    .map((n) => ({
      nodeId: n.id,
      message: `node ${n.id} (${n.kind}): the Spark runner does not translate "${n.kind}" nodes yet`,
    }));
}
