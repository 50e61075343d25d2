import { z } from "zod";
import { defineNode, type Stream } from "./types";
import { fieldName, intField, listField, textField } from "./fields";

const twoPairs = [
  { name: "left", type: "pair", required: true },
  { name: "right", type: "pair", required: true },
] as const;

type JoinOp = "join" | "leftOuterJoin" | "rightOuterJoin" | "fullOuterJoin" | "cogroup";

function joinNode(kind: JoinOp, label: string, doc: string) {
  return defineNode({
    kind,
    category: "Joins",
    label,
    doc,
    inputs: twoPairs,
    outputs: [{ name: "out", type: "pair" }],
    config: z.object({}),
    compile: ({ input }) => {
      const left: Stream = input("left");
      return { out: left[kind](input("right")) };
    },
  });
}

export const joinKinds = {
  join: joinNode("join", "Join", "left.join(right): [key, [leftValue, rightValue]] for keys present in both streams' batches."),
  leftOuterJoin: joinNode("leftOuterJoin", "Left outer join", "left.leftOuterJoin(right): every left pair, the right value undefined when absent."),
  rightOuterJoin: joinNode("rightOuterJoin", "Right outer join", "left.rightOuterJoin(right): every right pair, the left value undefined when absent."),
  fullOuterJoin: joinNode("fullOuterJoin", "Full outer join", "left.fullOuterJoin(right): every key of either side, the absent side undefined."),
  cogroup: joinNode("cogroup", "Cogroup", "left.cogroup(right): [key, [leftValues[], rightValues[]]] per key of either side."),
};

export const lookupJoinNode = defineNode({
  kind: "lookupJoin",
  category: "Joins",
  label: "Lookup join (table)",
  doc:
    "The article's historic averages: rdd.join(table) against a table of the app's database (read each batch, or once) or of Apache Cassandra (sc.cassandraTable(keyspace, table), read once per run, or every N batches); pairs become [key, [value, tableValue]]. Inner join drops keys the table lacks.",
  inputs: [{ name: "in", type: "pair", required: true }],
  outputs: [{ name: "out", type: "pair" }],
  config: z.object({
    source: z.enum(["database", "cassandra"]).default("database").meta({ description: "Where the table is: the app's database, or a Cassandra cluster." }),
    table: textField("historic_averages", "Table to look up (a dataset of the database, or a Cassandra table of the keyspace below)."),
    keyField: fieldName("account_number", "Column that holds the key."),
    valueField: fieldName("average_transaction", "Column joined as the value."),
    outer: z.boolean().default(false).meta({ description: "Keep keys the table lacks (value undefined), like leftOuterJoin." }),
    once: z.boolean().default(false).meta({ description: "Database: read the table once per run and keep it, as the article caches its `storedHistoric` RDD (Cassandra tables are always read once, or every N batches)." }),
    contactPoints: listField(["localhost:9042"], "Cassandra: contact points, comma-separated host:port."),
    localDataCenter: textField("datacenter1", "Cassandra: the local data center of the driver."),
    keyspace: textField("finances", "Cassandra: keyspace of the table."),
    refreshEveryBatches: intField(0, "Cassandra: read the table again every N batches (0: once per run).", 0, 1_000_000),
  }),
  compile: ({ config, input, builder }) => {
    const cassandra = config.source === "cassandra";
    const where = cassandra ? `${config.keyspace}.${config.table}` : `table "${config.table}"`;
    let rows: () => ReadonlyMap<unknown, unknown>;
    if (cassandra) {
      rows = builder.cassandraLookup({
        contactPoints: config.contactPoints,
        localDataCenter: config.localDataCenter,
        keyspace: config.keyspace,
        table: config.table,
        keyColumn: config.keyField,
        valueColumn: config.valueField,
        refreshEveryBatches: config.refreshEveryBatches,
      });
    } else {
      const read = builder.lookupTable(config.table, config.keyField, config.valueField);
      let cached: ReadonlyMap<unknown, unknown> | undefined;
      // Read lazily, in the first batch: the article loads the table inside transform, then caches it.
      rows = config.once ? () => (cached ??= read()) : read;
    }
    return {
      out: input().transform((records) => {
        const table = rows();
        return records.flatMap((kv) => {
          const [k, v] = kv as [unknown, unknown];
          const found = table.get(k);
          if (found === null) {
            // A row whose value is null (Cassandra's missing cell): the key is named, the record skipped.
            builder.reportError(kv, new Error(`${where} has no ${config.valueField} (null) for key ${JSON.stringify(k)}`), "valueField");
            return [];
          }
          if (found === undefined && !config.outer) return [];
          return [[k, [v, found]]];
        });
      }),
    };
  },
});
