import { z } from "zod";
import { defineNode } from "./types";
import { fieldName, fnField, readField } from "./fields";
import { guarded, guardedReduce, SKIP } from "./guard";

const inPair = [{ name: "in", type: "pair", required: true }] as const;
const outPair = [{ name: "out", type: "pair" }] as const;

export const keyByNode = defineNode({
  kind: "keyBy",
  category: "Pair",
  label: "Key by field",
  doc: "stream.map(r => (r.field, r)): pairs each record with the value of one of its fields, ready for the per-key operations.",
  inputs: [{ name: "in", type: "plain", required: true }],
  outputs: outPair,
  config: z.object({ field: fieldName("account_number", "The field whose value becomes the key.") }),
  compile: ({ config, input }) => ({ out: input().map((r) => [readField(r, config.field), r]) }),
});

export const mapValuesNode = defineNode({
  kind: "mapValues",
  category: "Pair",
  label: "Map values",
  doc: "pairs.mapValues(f): applies f to each value, keeping the key.",
  inputs: inPair,
  outputs: outPair,
  config: z.object({ fn: fnField("(v) => v", "value", "Returns the new value.") }),
  compile: (ctx) => {
    const f = guarded(ctx, "fn", ctx.config.fn);
    return {
      out: ctx.input().flatMap((kv) => {
        const [k, v] = kv as [unknown, unknown];
        const result = f(v);
        return result === SKIP ? [] : [[k, result]];
      }),
    };
  },
});

export const flatMapValuesNode = defineNode({
  kind: "flatMapValues",
  category: "Pair",
  label: "Flat map values",
  doc: "pairs.flatMapValues(f): f returns an array of values; each becomes a pair with the same key.",
  inputs: inPair,
  outputs: outPair,
  config: z.object({ fn: fnField("(v) => [v]", "value", "Returns an array of values.") }),
  compile: (ctx) => {
    const f = guarded(ctx, "fn", ctx.config.fn);
    return {
      out: ctx.input().flatMap((kv) => {
        const [k, v] = kv as [unknown, unknown];
        const result = f(v);
        return Array.isArray(result) ? result.map((x) => [k, x]) : [];
      }),
    };
  },
});

export const groupByKeyNode = defineNode({
  kind: "groupByKey",
  category: "Pair",
  label: "Group by key",
  doc: "pairs.groupByKey(): [key, values[]] for each key of the batch.",
  inputs: inPair,
  outputs: outPair,
  config: z.object({}),
  compile: ({ input }) => ({ out: input().groupByKey() }),
});

export const reduceByKeyNode = defineNode({
  kind: "reduceByKey",
  category: "Pair",
  label: "Reduce by key",
  doc: "pairs.reduceByKey(f): one [key, value] per key of the batch, its values folded with f (associative and commutative).",
  inputs: inPair,
  outputs: outPair,
  config: z.object({ fn: fnField("(a, b) => a + b", "a, b", "Combines two values of one key.") }),
  compile: (ctx) => ({ out: ctx.input().reduceByKey(guardedReduce(ctx, "fn", ctx.config.fn)) }),
});

export const countByKeyNode = defineNode({
  kind: "countByKey",
  category: "Pair",
  label: "Count by key",
  doc: "pairs.mapValues(_ => 1).reduceByKey(_ + _): [key, count] per key of the batch.",
  inputs: inPair,
  outputs: outPair,
  config: z.object({}),
  compile: ({ input }) => ({
    out: input()
      .map((kv) => [(kv as [unknown, unknown])[0], 1])
      .reduceByKey((a, b) => (a as number) + (b as number)),
  }),
});

/** The aggregates of the no-code Aggregate node, over a numeric field of each value. */
export const AGGREGATES = ["sum", "count", "average", "min", "max"] as const;

export const aggregateNode = defineNode({
  kind: "aggregate",
  category: "Pair",
  label: "Aggregate by key",
  doc: "pairs.combineByKey: sum, count, average, min or max of a numeric field of the values, per key of the batch; no code needed.",
  inputs: inPair,
  outputs: outPair,
  config: z.object({
    op: z.enum(AGGREGATES).default("average").meta({ description: "The aggregate to compute." }),
    field: z
      .string()
      .trim()
      .default("amount")
      .meta({ description: "Numeric field of the value (empty: the value itself). Ignored by count." }),
  }),
  compile: ({ config, input, builder }) => {
    type Acc = { sum: number; count: number; min: number; max: number };
    const value = (v: unknown): number => Number(config.field ? readField(v, config.field) : v);
    return {
      out: input()
        .flatMap((kv) => {
          const [k, v] = kv as [unknown, unknown];
          const n = config.op === "count" ? 0 : value(v);
          if (Number.isNaN(n)) {
            builder.reportError(kv, new TypeError(`field "${config.field}" is not a number`), "field");
            return [];
          }
          return [[k, { sum: n, count: 1, min: n, max: n } satisfies Acc]];
        })
        .reduceByKey((a, b) => {
          const x = a as Acc;
          const y = b as Acc;
          return { sum: x.sum + y.sum, count: x.count + y.count, min: Math.min(x.min, y.min), max: Math.max(x.max, y.max) };
        })
        .map((kv) => {
          const [k, acc] = kv as [unknown, Acc];
          const result = { sum: acc.sum, count: acc.count, average: acc.sum / acc.count, min: acc.min, max: acc.max }[config.op];
          return [k, result];
        }),
    };
  },
});
