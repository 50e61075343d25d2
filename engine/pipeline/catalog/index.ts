import type { z } from "zod";
import { aggregateNode, countByKeyNode, flatMapValuesNode, groupByKeyNode, keyByNode, mapValuesNode, reduceByKeyNode } from "./pair";
import { aggregateStateNode, aggregateWithStateNode, fraudFlagsNode, fraudRulesNode, parseTransactionsNode, thresholdFilterNode } from "./article";
import {
  countByValueNode, countNode, filterNode, flatMapNode, glomNode, mapNode, mapPartitionsNode, mapToPairNode, reduceNode, repartitionNode, transformNode, unionNode,
} from "./basic";
import { joinKinds, lookupJoinNode } from "./joins";
import {
  cassandraTableNode, chartTapNode, databaseTableNode, deadLettersNode, kafkaSinkNode, printNode, saveAsObjectFilesNode, saveAsTextFilesNode,
} from "./outputs";
import { kafkaSource, queueSource, socketTextSource, textFilesSource, transactionGeneratorSource } from "./sources";
import { combineByKeyNode, foreachRDDNode, transformWithNode } from "./userCode";
import { mapWithStateNode, updateStateByKeyNode } from "./state";
import type { NodeDefinition } from "./types";
import {
  countByValueAndWindowNode, countByWindowNode, groupByKeyAndWindowNode, listByKeyAndWindowNode, reduceByKeyAndWindowNode, reduceByWindowNode, windowNode,
} from "./windows";

export * from "./types";

/**
 * Every node kind, one line each, keyed by its kind. `satisfies` checks each entry's shape and
 * (below) that every key equals its entry's `kind`, so a typo is a type error.
 */
export const catalog = {
  queue: queueSource,
  transactionGenerator: transactionGeneratorSource,
  textFiles: textFilesSource,
  kafka: kafkaSource,
  socketText: socketTextSource,
  map: mapNode,
  flatMap: flatMapNode,
  filter: filterNode,
  mapPartitions: mapPartitionsNode,
  glom: glomNode,
  repartition: repartitionNode,
  union: unionNode,
  count: countNode,
  countByValue: countByValueNode,
  reduce: reduceNode,
  transform: transformNode,
  transformWith: transformWithNode,
  parseTransactions: parseTransactionsNode,
  thresholdFilter: thresholdFilterNode,
  fraudRules: fraudRulesNode,
  keyBy: keyByNode,
  mapToPair: mapToPairNode,
  mapValues: mapValuesNode,
  flatMapValues: flatMapValuesNode,
  groupByKey: groupByKeyNode,
  reduceByKey: reduceByKeyNode,
  countByKey: countByKeyNode,
  aggregate: aggregateNode,
  combineByKey: combineByKeyNode,
  window: windowNode,
  countByWindow: countByWindowNode,
  reduceByWindow: reduceByWindowNode,
  countByValueAndWindow: countByValueAndWindowNode,
  groupByKeyAndWindow: groupByKeyAndWindowNode,
  reduceByKeyAndWindow: reduceByKeyAndWindowNode,
  listByKeyAndWindow: listByKeyAndWindowNode,
  updateStateByKey: updateStateByKeyNode,
  mapWithState: mapWithStateNode,
  aggregateState: aggregateStateNode,
  aggregateWithState: aggregateWithStateNode,
  ...joinKinds,
  lookupJoin: lookupJoinNode,
  print: printNode,
  chartTap: chartTapNode,
  deadLetters: deadLettersNode,
  foreachRDD: foreachRDDNode,
  saveAsTextFiles: saveAsTextFilesNode,
  saveAsObjectFiles: saveAsObjectFilesNode,
  databaseTable: databaseTableNode,
  kafkaSink: kafkaSinkNode,
  cassandraTable: cassandraTableNode,
  fraudFlags: fraudFlagsNode,
} satisfies Record<string, NodeDefinition>;

export type NodeKind = keyof typeof catalog;
export const NODE_KINDS = Object.keys(catalog) as NodeKind[];

/** Every entry's key is its kind (a compile-time check of the map above). */
type KeysMatchKinds = { [K in NodeKind]: (typeof catalog)[K]["kind"] extends K ? true : never };
export const keysMatchKinds: KeysMatchKinds = Object.fromEntries(NODE_KINDS.map((k) => [k, true])) as KeysMatchKinds;

export function isNodeKind(kind: string): kind is NodeKind {
  return Object.prototype.hasOwnProperty.call(catalog, kind);
}

/** The definition of a kind, widened for generic code (forms, diagnostics, the compiler). */
export function nodeDefinition(kind: string): NodeDefinition | undefined {
  return isNodeKind(kind) ? (catalog[kind] as unknown as NodeDefinition) : undefined;
}

/** The config of a node with the kind's defaults filled in, or the zod issues. */
export function parseNodeConfig(kind: string, config: unknown): z.ZodSafeParseResult<Record<string, unknown>> | undefined {
  return nodeDefinition(kind)?.config.safeParse(config ?? {});
}

/** The default config of a kind, as a new node on the canvas gets it. */
export function defaultConfig(kind: string): Record<string, unknown> {
  const parsed = parseNodeConfig(kind, {});
  return parsed?.success ? parsed.data : {};
}
