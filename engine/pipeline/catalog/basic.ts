import { z } from "zod";
import { defineNode, type PipelineBuilder } from "./types";
import { fnField, intField } from "./fields";
import { guarded, guardedReduce, SKIP } from "./guard";

const inAny = [{ name: "in", type: "plain", required: true }] as const;
const outPlain = [{ name: "out", type: "plain" }] as const;
const outSame = [{ name: "out", type: "same" }] as const;

/**
 * The records one map call yields: none when the function's record was reported (SKIP), none
 * when a pair was required (`pairRule` not null) and the result is not `[key, value]` (reported
 * on the record), else the result.
 */
function mapped(ctx: { builder: PipelineBuilder }, record: unknown, result: unknown, pairRule: string | null): unknown[] {
  if (result === SKIP) return [];
  if (pairRule !== null && (!Array.isArray(result) || result.length !== 2)) {
    ctx.builder.reportError(record, new TypeError(`fn must return [key, value]${pairRule}, got ${JSON.stringify(result)}`), "fn");
    return [];
  }
  return [result];
}

export const mapNode = defineNode({
  kind: "map",
  category: "Transformations",
  label: "Map",
  doc: "stream.map(f): one output record per input record. Turn on `pairs` when f returns [key, value], to feed the per-key (Pair) operations.",
  inputs: inAny,
  outputs: outPlain,
  config: z.object({
    fn: fnField("(x) => x", "record", "Returns the new record."),
    pairs: z.boolean().default(false).meta({ description: "f returns [key, value] pairs: the output is a pair stream." }),
  }),
  outputType: (_port, config) => (config.pairs ? "pair" : "plain"),
  compile: (ctx) => {
    const f = guarded(ctx, "fn", ctx.config.fn);
    return { out: ctx.input().flatMap((r) => mapped(ctx, r, f(r), ctx.config.pairs ? " when pairs is on" : null)) };
  },
});

export const mapToPairNode = defineNode({
  kind: "mapToPair",
  category: "Pair",
  label: "Map to pair",
  doc: "stream.map(r => (k, v)): makes a pair stream from a function that returns [key, value].",
  inputs: inAny,
  outputs: [{ name: "out", type: "pair" }],
  config: z.object({ fn: fnField("(x) => [x % 4, 1]", "record", "Returns [key, value].") }),
  compile: (ctx) => {
    const f = guarded(ctx, "fn", ctx.config.fn);
    return { out: ctx.input().flatMap((r) => mapped(ctx, r, f(r), "")) };
  },
});

export const flatMapNode = defineNode({
  kind: "flatMap",
  category: "Transformations",
  label: "Flat map",
  doc: "stream.flatMap(f): zero or more output records per input record; f returns an array.",
  inputs: inAny,
  outputs: outPlain,
  config: z.object({ fn: fnField("(line) => String(line).split(' ')", "record", "Returns an array of records.") }),
  compile: (ctx) => {
    const f = guarded(ctx, "fn", ctx.config.fn);
    return {
      out: ctx.input().flatMap((r) => {
        const result = f(r);
        if (result === SKIP) return [];
        if (!Array.isArray(result)) {
          ctx.builder.reportError(r, new TypeError("fn must return an array"), "fn");
          return [];
        }
        return result;
      }),
    };
  },
});

export const filterNode = defineNode({
  kind: "filter",
  category: "Transformations",
  label: "Filter",
  doc: "stream.filter(f): keeps the records for which f returns true.",
  inputs: inAny,
  outputs: outSame,
  config: z.object({ fn: fnField("(x) => x % 2 === 0", "record", "Returns true to keep the record.") }),
  compile: (ctx) => {
    const f = guarded(ctx, "fn", ctx.config.fn);
    return { out: ctx.input().filter((r) => f(r) === true) };
  },
});

export const mapPartitionsNode = defineNode({
  kind: "mapPartitions",
  category: "Transformations",
  label: "Map partitions",
  doc: "stream.mapPartitions(f): f receives all records of one partition as an array and returns an array.",
  inputs: inAny,
  outputs: outPlain,
  config: z.object({ fn: fnField("(records) => records", "records", "Returns an array of records.") }),
  compile: (ctx) => {
    const f = guarded(ctx, "fn", ctx.config.fn);
    return {
      out: ctx.input().mapPartitions((records) => {
        const result = f(records);
        return Array.isArray(result) ? result : [];
      }),
    };
  },
});

export const glomNode = defineNode({
  kind: "glom",
  category: "Transformations",
  label: "Glom",
  doc: "stream.glom(): each partition of a batch becomes one array record.",
  inputs: inAny,
  outputs: outPlain,
  config: z.object({}),
  compile: (ctx) => ({ out: ctx.input().glom() }),
});

export const repartitionNode = defineNode({
  kind: "repartition",
  category: "Transformations",
  label: "Repartition",
  doc: "stream.repartition(n): spreads each batch over n partitions.",
  inputs: inAny,
  outputs: outSame,
  config: z.object({ numPartitions: intField(2, "Number of partitions.", 1, 1024) }),
  compile: (ctx) => ({ out: ctx.input().repartition(ctx.config.numPartitions) }),
});

export const unionNode = defineNode({
  kind: "union",
  category: "Transformations",
  label: "Union",
  doc: "stream.union(other): the records of both streams in one; both must have the same slide.",
  inputs: [
    { name: "left", type: "plain", required: true },
    { name: "right", type: "plain", required: true },
  ],
  outputs: [{ name: "out", type: "same" }],
  config: z.object({}),
  compile: (ctx) => ({ out: ctx.input("left").union(ctx.input("right")) }),
});

export const countNode = defineNode({
  kind: "count",
  category: "Transformations",
  label: "Count",
  doc: "stream.count(): one record per batch, the number of records in it.",
  inputs: inAny,
  outputs: outPlain,
  config: z.object({}),
  compile: (ctx) => ({ out: ctx.input().count() }),
});

export const countByValueNode = defineNode({
  kind: "countByValue",
  category: "Transformations",
  label: "Count by value",
  doc: "stream.countByValue(): [value, count] pairs for the distinct values of each batch.",
  inputs: inAny,
  outputs: [{ name: "out", type: "pair" }],
  config: z.object({}),
  compile: (ctx) => ({ out: ctx.input().countByValue() }),
});

export const reduceNode = defineNode({
  kind: "reduce",
  category: "Transformations",
  label: "Reduce",
  doc: "stream.reduce(f): one record per batch, f folded over its records; f must be associative and commutative.",
  inputs: inAny,
  outputs: outSame,
  config: z.object({ fn: fnField("(a, b) => a + b", "a, b", "Combines two records into one.") }),
  compile: (ctx) => ({ out: ctx.input().reduce(guardedReduce(ctx, "fn", ctx.config.fn)) }),
});

export const transformNode = defineNode({
  kind: "transform",
  category: "Transformations",
  label: "Transform",
  doc: "stream.transform(f): f receives the records of a whole batch as an array and returns the batch's new records.",
  inputs: inAny,
  outputs: outPlain,
  config: z.object({ fn: fnField("(records) => [...records].sort()", "records", "Returns an array: the batch's new records.") }),
  compile: (ctx) => {
    const f = guarded(ctx, "fn", ctx.config.fn);
    return {
      out: ctx.input().transform((records) => {
        const result = f(records);
        return Array.isArray(result) ? result : [];
      }),
    };
  },
});
