import { z } from "zod";
import { defineNode } from "./types";
import { durationField, fnField } from "./fields";
import { guardedReduce } from "./guard";

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

export const countByValueAndWindowNode = defineNode({
  kind: "countByValueAndWindow",
  category: "Windows",
  label: "Count by value and window",
  doc: "stream.countByValueAndWindow(window, slide): [value, count] over each window (incremental, needs checkpointing).",
  inputs: [{ name: "in", type: "plain", required: true }],
  outputs: [{ name: "out", type: "pair" }],
  config: z.object(windowFields),
  window: windowOf,
  stateful: () => true,
  compile: ({ config, input }) => ({ out: input().countByValueAndWindow(config.windowMs, config.slideMs) }),
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
  doc: "pairs.reduceByKeyAndWindow(f, [inverse,] window, slide): per key over each window. With an inverse function Spark adds the new batches and subtracts the old ones (needs checkpointing).",
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
  }),
  window: windowOf,
  stateful: (c) => c.inverseFn !== "",
  compile: (ctx) => {
    const { fn, inverseFn, windowMs, slideMs } = ctx.config;
    const inverse = inverseFn ? guardedReduce(ctx, "inverseFn", inverseFn) : undefined;
    return { out: ctx.input().reduceByKeyAndWindow(guardedReduce(ctx, "fn", fn), windowMs, slideMs, inverse) };
  },
});
