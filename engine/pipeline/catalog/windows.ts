import { z } from "zod";
import { defineNode } from "./types";
import { durationField, fieldName, fnField, optionalFnField } from "./fields";
import { keyId } from "../../rdd/keys";
import { guarded, guardedReduce } from "./guard";
import type { CompileContext } from "./types";

/*
 * Window arithmetic (Spark): a window of 3 s sliding by 2 s over 1 s batches
 *
 *   batches  | 1 | 2 | 3 | 4 | 5 | 6 |
 *   t=2s     [ 1   2 ]                 (first window: only what exists)
 *   t=4s         [ 2   3   4 ]
 *   t=6s                 [ 4   5   6 ]
 *
 * Window and slide must be multiples of the parent's slide (the batch interval for a source).
 */
const windowFields = {
  windowMs: durationField(3000, "Window length in ms: how much data each computation sees."),
  slideMs: durationField(2000, "Slide in ms: how often the window is computed."),
};
const windowOf = (c: { windowMs: number; slideMs: number }) => ({ windowMs: c.windowMs, slideMs: c.slideMs });

export const windowNode = defineNode({
  kind: "window",
  category: "Windows",
  label: "Window",
  doc: "stream.window(window, slide): every slide, the records of the last window length, batches overlapping when window > slide.",
  inputs: [{ name: "in", type: "plain", required: true }],
  outputs: [{ name: "out", type: "same" }],
  config: z.object(windowFields),
  window: windowOf,
  compile: ({ config, input }) => ({ out: input().window(config.windowMs, config.slideMs) }),
});

export const countByWindowNode = defineNode({
  kind: "countByWindow",
  category: "Windows",
  label: "Count by window",
  doc: "stream.countByWindow(window, slide): the number of records in each window (needs checkpointing: Spark computes it incrementally).",
  inputs: [{ name: "in", type: "plain", required: true }],
  outputs: [{ name: "out", type: "plain" }],
  config: z.object(windowFields),
  window: windowOf,
  stateful: () => true,
  compile: ({ config, input }) => ({ out: input().countByWindow(config.windowMs, config.slideMs) }),
});

export const reduceByWindowNode = defineNode({
  kind: "reduceByWindow",
  category: "Windows",
  label: "Reduce by window",
  doc: "stream.reduceByWindow(f, window, slide): one record per window, its records folded with f.",
  inputs: [{ name: "in", type: "plain", required: true }],
  outputs: [{ name: "out", type: "same" }],
  config: z.object({ fn: fnField("(a, b) => a + b", "a, b", "Combines two records."), ...windowFields }),
  window: windowOf,
  compile: (ctx) => ({ out: ctx.input().reduceByWindow(guardedReduce(ctx, "fn", ctx.config.fn), ctx.config.windowMs, ctx.config.slideMs) }),
});

/** The node's filterFunc as a predicate (a throw reports the pair and keeps it), or undefined when empty. */
function filterOf(ctx: CompileContext<{ filterFunc: string }>): ((kv: unknown) => boolean) | undefined {
  if (!ctx.config.filterFunc) return undefined;
  const f = guarded(ctx, "filterFunc", ctx.config.filterFunc);
  return (kv) => {
    const keep = f(kv);
    return typeof keep === "symbol" ? true : keep === true;
  };
}

export const countByValueAndWindowNode = defineNode({
  kind: "countByValueAndWindow",
  category: "Windows",
  label: "Count by value and window",
  doc: "stream.countByValueAndWindow(window, slide): [value, count] over each window (incremental, needs checkpointing). Values whose count went back to 0 are dropped, as in Spark; filterFunc, when given, decides instead which [value, count] pairs stay (e.g. () => true keeps the zeros).",
  inputs: [{ name: "in", type: "plain", required: true }],
  outputs: [{ name: "out", type: "pair" }],
  config: z.object({
    ...windowFields,
    filterFunc: optionalFnField(
      "[value, count]",
      "Optional: returns true to keep a pair, e.g. () => true to keep values whose count went back to 0; empty: Spark's ([v, n]) => n !== 0. Drop only pairs that no batch of the window holds any more (as Spark requires); dropping others gives wrong counts or fails a later window.",
    ),
  }),
  window: windowOf,
  stateful: () => true,
  compile: (ctx) => ({ out: ctx.input().countByValueAndWindow(ctx.config.windowMs, ctx.config.slideMs, filterOf(ctx)) }),
});

export const groupByKeyAndWindowNode = defineNode({
  kind: "groupByKeyAndWindow",
  category: "Windows",
  label: "Group by key and window",
  doc: "pairs.groupByKeyAndWindow(window, slide): [key, values[]] over each window.",
  inputs: [{ name: "in", type: "pair", required: true }],
  outputs: [{ name: "out", type: "pair" }],
  config: z.object(windowFields),
  window: windowOf,
  compile: ({ config, input }) => ({ out: input().groupByKeyAndWindow(config.windowMs, config.slideMs) }),
});

export const reduceByKeyAndWindowNode = defineNode({
  kind: "reduceByKeyAndWindow",
  category: "Windows",
  label: "Reduce by key and window",
  doc: "pairs.reduceByKeyAndWindow(f, [inverse,] window, slide, [filterFunc]): per key over each window. With an inverse function Spark adds the new batches and subtracts the old ones (needs checkpointing), and keeps a key whose values all left the window (e.g. (is,0)) unless filterFunc drops it, e.g. ([k, v]) => v !== 0.",
  inputs: [{ name: "in", type: "pair", required: true }],
  outputs: [{ name: "out", type: "pair" }],
  config: z.object({
    fn: fnField("(a, b) => a + b", "a, b", "Combines two values of one key."),
    inverseFn: z
      .string()
      .trim()
      .default("")
      .meta({ widget: "function", params: "a, b", description: "Optional inverse of fn, e.g. (a, b) => a - b; empty for none." }),
    ...windowFields,
    filterFunc: optionalFnField(
      "[key, value]",
      "Optional: returns true to keep a pair, e.g. ([k, v]) => v !== 0 to drop keys whose values all left the window. With an inverse this is Spark's filterFunc (drop only such expired keys; dropping others gives wrong values or fails a later window); without, a filter of the result. Empty: keep every key, as Spark does.",
    ),
  }),
  window: windowOf,
  stateful: (c) => c.inverseFn !== "",
  compile: (ctx) => {
    const { fn, inverseFn, windowMs, slideMs } = ctx.config;
    const inverse = inverseFn ? guardedReduce(ctx, "inverseFn", inverseFn) : undefined;
    return { out: ctx.input().reduceByKeyAndWindow(guardedReduce(ctx, "fn", fn), windowMs, slideMs, inverse, filterOf(ctx)) };
  },
});

/** Reads `record[idField]` (a path such as `tx.id` is followed); primitives are their own id. */
function idReader(idField: string): (record: unknown) => unknown {
  if (idField.includes(".")) {
    const steps = idField.split(".");
    return (r) => {
      let current = r;
      for (const step of steps) current = current !== null && typeof current === "object" ? (current as Record<string, unknown>)[step] : undefined;
      return keyId(current);
    };
  }
  return (r) => keyId(r !== null && typeof r === "object" ? (r as Record<string, unknown>)[idField] : r);
}

/** Scala's `a diff b` with equality by id: removes one element of `a` per element of `b`, first occurrences first. */
export function listDiff(a: readonly unknown[], b: readonly unknown[], id: (r: unknown) => unknown): unknown[] {
  if (b.length === 0) return a.slice();
  // The usual case: the leaving values are the list's oldest ones, the same objects in the same
  // order. Removing them by id then removes exactly that prefix.
  let prefix = 0;
  while (prefix < b.length && prefix < a.length && a[prefix] === b[prefix]) prefix++;
  if (prefix === b.length) return a.slice(prefix);
  const toRemove = new Map<unknown, number>();
  for (let i = 0; i < b.length; i++) {
    const k = id(b[i]);
    toRemove.set(k, (toRemove.get(k) ?? 0) + 1);
  }
  const out: unknown[] = [];
  for (let i = 0; i < a.length; i++) {
    const k = id(a[i]);
    const n = toRemove.get(k);
    if (n === undefined || n === 0) out.push(a[i]);
    else toRemove.set(k, n - 1);
  }
  return out;
}

export const listByKeyAndWindowNode = defineNode({
  kind: "listByKeyAndWindow",
  category: "Windows",
  label: "List by key and window",
  doc: "The article's pairs.mapValues(v => List(v)).reduceByKeyAndWindow(_ ++ _, _ diff _, window, slide), built in: each key's values in the window as a list (arrival order), kept up to date by adding the batches that enter and removing (by id) those that leave. Needs checkpointing.",
  inputs: [{ name: "in", type: "pair", required: true }],
  outputs: [{ name: "out", type: "pair", label: "[key, values[]]" }],
  config: z.object({
    idField: fieldName("id", "Field that identifies a value, for removing the values that leave the window (records without it are compared whole)."),
    ...windowFields,
  }),
  window: windowOf,
  stateful: () => true,
  compile: ({ config, input }) => {
    const id = idReader(config.idField);
    return { out: input().listByKeyAndWindow(config.windowMs, config.slideMs, (a, b) => listDiff(a, b, id)) };
  },
});
