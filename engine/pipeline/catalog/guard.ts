import type { CompileContext } from "./types";

/** Returned by a guarded call whose user function threw: the record was reported and is dropped. */
export const SKIP: unique symbol = Symbol("skip");

/**
 * Errors a user function raises about itself (a watchdog timeout, a broken sandbox) carry
 * `fatal: true`: they stop the run instead of dropping one record.
 */
export function isFatal(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { fatal?: unknown }).fatal === true;
}

/**
 * The function of `field`, wrapped so that a throw on one record reports that record on the
 * node's error output and lets the batch go on.
 */
export function guarded<C>(ctx: CompileContext<C>, field: string, source: string) {
  const fn = ctx.builder.userFunction(field, source);
  return (...args: unknown[]): unknown => {
    try {
      return fn(...args);
    } catch (error) {
      if (isFatal(error)) throw error;
      ctx.builder.reportError(args.length === 1 ? args[0] : args, error, field);
      return SKIP;
    }
  };
}

/** Wraps a guarded reduce function: on a throw it keeps the left value, reporting the right. */
export function guardedReduce<C>(ctx: CompileContext<C>, field: string, source: string) {
  const call = guarded(ctx, field, source);
  return (a: unknown, b: unknown): unknown => {
    const result = call(a, b);
    return result === SKIP ? a : result;
  };
}

/** `flatMap` body for a one-to-one function: zero records when it threw. */
export function oneOrNone(result: unknown): unknown[] {
  return result === SKIP ? [] : [result];
}

/**
 * For functions of a whole batch (transformWith, foreachRDD): a throw reports the batch (its time
 * and size, not its records) on the node's error output and the function's result is SKIP.
 */
export function guardedBatch<C>(ctx: CompileContext<C>, field: string, source: string) {
  const fn = ctx.builder.userFunction(field, source);
  return (batchTimeMs: number, records: number, ...args: unknown[]): unknown => {
    try {
      return fn(...args);
    } catch (error) {
      if (isFatal(error)) throw error;
      ctx.builder.reportError(`batch ${batchTimeMs} ms (${records} records)`, error, field);
      return SKIP;
    }
  };
}
