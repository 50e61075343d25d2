import { z } from "zod";
import type { ReplayOutcome } from "./job";

/**
 * The shape of a replay process's answer. The process ran user code, so its message is checked
 * before it reaches a browser or the command line: anything else is refused, naming the path.
 */
const text = z.string().max(100_000);
const counted = z.array(z.object({ record: text, count: z.number().int().positive() }).strict());
const nodeError = z.object({ nodeId: text, field: text.optional(), message: text, batchTimeMs: z.number().optional() }).strict();
const sides = <T extends z.ZodType>(t: T) => z.object({ before: t, after: t }).strict();
const only = z.enum(["before", "after"]).optional();

const comparison = z
  .object({
    batchTimesMs: z.array(z.number()),
    outputs: z.array(
      z
        .object({
          nodeId: text,
          label: text,
          only,
          changed: z.array(
            z.object({ batchTimeMs: z.number(), added: counted, removed: counted, beforeCount: z.number().int(), afterCount: z.number().int() }).strict(),
          ),
          unchanged: z.number().int(),
        })
        .strict(),
    ),
    differences: z.number().int().nonnegative(),
    errors: sides(z.array(nodeError)),
    notes: sides(z.array(text)),
  })
  .strict();

const batch = z
  .object({
    batchTimeMs: z.number(),
    outputs: z.array(
      z
        .object({
          nodeId: text,
          label: text,
          only,
          before: z.array(text),
          after: z.array(text),
          beforeCount: z.number().int(),
          afterCount: z.number().int(),
          added: counted,
          removed: counted,
        })
        .strict(),
    ),
    errors: sides(z.array(nodeError)),
    notes: sides(z.array(text)),
  })
  .strict();

const outcomeSchema = z.union([
  z.object({ ok: z.literal(true), kind: z.literal("compare"), comparison }).strict(),
  z.object({ ok: z.literal(true), kind: z.literal("batch"), batch }).strict(),
  z.object({ ok: z.literal(false), error: text, nodeId: text.optional(), side: only }).strict(),
]);

/** The answer as sent, or an outcome saying why it was refused. */
export function checkOutcome(value: unknown): ReplayOutcome {
  const parsed = outcomeSchema.safeParse(value);
  if (parsed.success) return parsed.data as ReplayOutcome;
  const issue = parsed.error.issues[0];
  return { ok: false, error: `the replay process answered with something malformed (${issue?.path.join(".") || "(answer)"}: ${issue?.message})` };
}
