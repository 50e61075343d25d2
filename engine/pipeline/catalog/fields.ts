import { z } from "zod";

/**
 * Field builders: each adds the metadata the inspector form reads from the JSON schema
 * (`z.toJSONSchema`), so a node's zod schema is the single source of its form.
 */
export type FieldWidget = "function" | "duration" | "json" | "text" | "list";

/** A JavaScript arrow function, edited in the code editor. `params` documents its arguments. */
export function fnField(defaultSource: string, params: string, description: string) {
  return z
    .string()
    .trim()
    .min(1, "needs a function, e.g. " + defaultSource)
    .default(defaultSource)
    .meta({ widget: "function", params, description });
}

/** An optional function: empty means none. */
export function optionalFnField(params: string, description: string) {
  return z.string().trim().default("").meta({ widget: "function", params, description });
}

/** A duration in whole milliseconds. */
export function durationField(defaultMs: number, description: string) {
  return z
    .number()
    .int("must be a whole number of milliseconds")
    .positive("must be positive")
    .default(defaultMs)
    .meta({ widget: "duration", description });
}

export function optionalDurationField(description: string) {
  return z
    .number()
    .int("must be a whole number of milliseconds")
    .positive("must be positive")
    .optional()
    .meta({ widget: "duration", description });
}

export function textField(defaultValue: string, description: string, min = 1) {
  return z.string().trim().min(min, "must not be empty").default(defaultValue).meta({ description });
}

/** A comma-separated list edited as text, kept as an array of strings. */
export function listField(defaultValue: string[], description: string) {
  return z.array(z.string().trim().min(1)).min(1, "needs at least one entry").default(defaultValue).meta({ widget: "list", description });
}

export function intField(defaultValue: number, description: string, min = 1, max = 10_000) {
  return z.number().int("must be a whole number").min(min).max(max).default(defaultValue).meta({ description });
}

/** A record field name such as `account_number`. */
export function fieldName(defaultValue: string, description: string) {
  return z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_$]+(\.[A-Za-z0-9_$]+)*$/, "must be a field name such as account_number, or a path such as 1.amount")
    .default(defaultValue)
    .meta({ description });
}

/** Reads `a.b.c` from a record; `undefined` when a step is missing. */
export function readField(record: unknown, path: string): unknown {
  let current: unknown = record;
  for (const step of path.split(".")) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string, unknown>)[step];
  }
  return current;
}
