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
  "transformWith",
  "keyBy",
  "mapValues",
  "flatMapValues",
  "groupByKey",
  "reduceByKey",
  "countByKey",
  "aggregate",
  "combineByKey",
  "window",
  "countByWindow",
  "reduceByWindow",
  "countByValueAndWindow",
  "groupByKeyAndWindow",
  "reduceByKeyAndWindow",
  "listByKeyAndWindow",
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
  "foreachRDD",
  "deadLetters",
  "chartTap",
  "databaseTable",
  "fraudFlags",
]);

/**
 * The catalog's other kinds, each with why the runner refuses it (the message names the node too).
 * Every catalog kind is in exactly one of the two lists (tests/unit/spark/translatable.test.ts).
 */
export const SPARK_REFUSED_KINDS: Readonly<Record<string, string>> = {
  kafka: "Kafka sources are not in the Spark runner yet (Spark's createDirectStream needs spark-streaming-kafka in the runner)",
  kafkaSink: "Kafka outputs are not in the Spark runner yet",
  socketText: "a socket source needs a TCP server that Spark's receiver can reach; the runner has no socket receiver yet",
  textFiles:
    "Spark's textFileStream picks files by modification time on a Hadoop file system; the runner does not translate it yet",
  saveAsTextFiles: "file outputs would be written on Spark's machines, not the Studio's; the runner does not translate them yet",
  saveAsObjectFiles: "file outputs would be written on Spark's machines, not the Studio's; the runner does not translate them yet",
  cassandraTable: "Cassandra lookups need the Spark Cassandra connector, which the runner does not include",
};

export interface SparkRefusalReason {
  readonly nodeId: string;
  readonly message: string;
}

/** A translated kind that the runner still refuses in one configuration (Translate.scala says the same). */
const CASSANDRA_LOOKUP =
  "a lookup join on a Cassandra table needs the Spark Cassandra connector, which the runner does not include";

/** The nodes a Spark run must refuse before anything starts, each named with why. */
export function untranslatableNodes(document: PipelineDocument): SparkRefusalReason[] {
  return document.nodes.flatMap((n) => {
    const why = !SPARK_TRANSLATED_KINDS.has(n.kind)
      ? (SPARK_REFUSED_KINDS[n.kind] ?? `the Spark runner does not translate "${n.kind}" nodes`)
      : n.kind === "lookupJoin" && (n.config as { source?: unknown }).source === "cassandra"
        ? CASSANDRA_LOOKUP
        : undefined;
    return why === undefined ? [] : [{ nodeId: n.id, message: `node ${n.id} (${n.kind}): ${why}` }];
  });
}
