import { z } from "zod";
import { defineNode, type CompileContext } from "./types";
import { fnField, intField } from "./fields";
import { guarded, guardedBatch, SKIP } from "./guard";

/*
 * Nodes whose behaviour is the user's own code over whole batches or per-key combiners:
 * transformWith, combineByKey, foreachRDD. Every function goes through the environment's
 * user-function boundary and sees plain data only (records as arrays, times as numbers).
 */

function arrayResult(ctx: CompileContext<unknown>, field: string, result: unknown, what: string): unknown[] {
  if (result === SKIP) return [];
  if (!Array.isArray(result)) {
    ctx.builder.reportError(what, new TypeError(`${field} must return an array of records, got ${result === null ? "null" : typeof result}`), field);
    return [];
  }
  return result;
}

export const transformWithNode = defineNode({
  kind: "transformWith",
  category: "Transformations",
  label: "Transform with",
  doc: "left.transformWith(right, f): f receives both streams' records of a batch (arrays) and the batch time in ms, and returns the batch's new records. Both streams must have the same slide.",
  inputs: [
    { name: "left", type: "plain", required: true },
    { name: "right", type: "plain", required: true },
  ],
  outputs: [{ name: "out", type: "plain" }],
  config: z.object({
    fn: fnField(
      "(left, right, timeMs) => left.filter((x) => !right.includes(x))",
      "left, right, timeMs",
      "Returns an array: the batch's new records.",
    ),
  }),
  compile: (ctx) => {
    const f = guardedBatch(ctx, "fn", ctx.config.fn);
    return {
      out: ctx.input("left").transformWith(ctx.input("right"), (left, right, timeMs) =>
        arrayResult(ctx, "fn", f(timeMs, left.length + right.length, left, right, timeMs), `batch ${timeMs} ms`),
      ),
    };
  },
});

/** A combiner that could not be made (its function threw on the value, which was reported). */
const NO_COMBINER: unique symbol = Symbol("no combiner");

export const combineByKeyNode = defineNode({
  kind: "combineByKey",
  category: "Pair",
  label: "Combine by key",
  doc: "pairs.combineByKey(createCombiner, mergeValue, mergeCombiners, numPartitions): per key of the batch, the first value becomes a combiner, the next values of a partition are merged into it, and the partitions' combiners are merged together. A value on which a function throws is reported and left out.",
  inputs: [{ name: "in", type: "pair", required: true }],
  outputs: [{ name: "out", type: "pair" }],
  config: z.object({
    createCombiner: fnField("(v) => ({ sum: v, count: 1 })", "value", "Makes a key's combiner from its first value."),
    mergeValue: fnField("(c, v) => ({ sum: c.sum + v, count: c.count + 1 })", "combiner, value", "Returns the combiner with one more value."),
    mergeCombiners: fnField("(c1, c2) => ({ sum: c1.sum + c2.sum, count: c1.count + c2.count })", "combiner1, combiner2", "Returns two partitions' combiners merged."),
    numPartitions: intField(2, "Partitions of the result (hash partitioned by key).", 1, 1024),
  }),
  compile: (ctx) => {
    const create = guarded(ctx, "createCombiner", ctx.config.createCombiner);
    const merge = guarded(ctx, "mergeValue", ctx.config.mergeValue);
    const mergeCombiners = guarded(ctx, "mergeCombiners", ctx.config.mergeCombiners);
    const made = (v: unknown): unknown => {
      const c = create(v);
      return c === SKIP ? NO_COMBINER : c;
    };
    return {
      out: ctx
        .input()
        .combineByKey(
          made,
          (c, v) => {
            if (c === NO_COMBINER) return made(v);
            const r = merge(c, v);
            return r === SKIP ? c : r;
          },
          (a, b) => {
            if (a === NO_COMBINER) return b;
            if (b === NO_COMBINER) return a;
            const r = mergeCombiners(a, b);
            return r === SKIP ? a : r;
          },
          ctx.config.numPartitions,
        )
        .filter((kv) => (kv as [unknown, unknown])[1] !== NO_COMBINER),
    };
  },
});

export const foreachRDDNode = defineNode({
  kind: "foreachRDD",
  category: "Outputs",
  label: "For each RDD",
  doc: "stream.foreachRDD(f): f receives the batch's records (an array) and its time in ms, for every batch; the values it returns (an array, or one value) are printed on the dashboard console under the batch time. It has no other way out: no files, network or server objects.",
  inputs: [{ name: "in", type: "plain", required: true }],
  outputs: [],
  isOutput: true,
  config: z.object({
    fn: fnField("(records, timeMs) => [`${records.length} records`]", "records, timeMs", "Returns the values to show for this batch (nothing: undefined or [])."),
    num: intField(20, "Values shown per batch at most.", 1, 1000),
  }),
  compile: (ctx) => {
    const f = guardedBatch(ctx, "fn", ctx.config.fn);
    ctx.builder.foreachRDD(
      ctx.input(),
      (records, timeMs) => {
        const result = f(timeMs, records.length, records, timeMs);
        if (result === SKIP || result === undefined) return [];
        return Array.isArray(result) ? result : [result];
      },
      ctx.config.num,
    );
    return {};
  },
});
