import { z } from "zod";
import { defineNode, type Stream } from "./types";
import { fieldName, textField } from "./fields";

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
  doc: "The article's historic averages: rdd.join(table) against a database table read each batch; pairs become [key, [value, tableValue]]. Inner join drops keys the table lacks.",
  inputs: [{ name: "in", type: "pair", required: true }],
  outputs: [{ name: "out", type: "pair" }],
  config: z.object({
    table: textField("historic_averages", "Table (a dataset of the database) to look up."),
    keyField: fieldName("account_number", "Column that holds the key."),
    valueField: fieldName("average_transaction", "Column joined as the value."),
    outer: z.boolean().default(false).meta({ description: "Keep keys the table lacks (value undefined), like leftOuterJoin." }),
    once: z.boolean().default(false).meta({ description: "Read the table once per run and keep it, as the article caches its `storedHistoric` RDD." }),
  }),
  compile: ({ config, input, builder }) => {
    const read = builder.lookupTable(config.table, config.keyField, config.valueField);
    let cached: ReadonlyMap<unknown, unknown> | undefined;
    // Read lazily, in the first batch: the article loads the table inside transform, then caches it.
    const rows = config.once ? () => (cached ??= read()) : read;
    return {
      out: input().transform((records) => {
        const table = rows();
        return records.flatMap((kv) => {
          const [k, v] = kv as [unknown, unknown];
          const found = table.get(k);
          if (found === undefined && !config.outer) return [];
          return [[k, [v, found]]];
        });
      }),
    };
  },
});
