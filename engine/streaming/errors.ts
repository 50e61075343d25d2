/**
 * The exception kinds Spark throws, so that messages and `instanceof` checks read as in Spark.
 * `require` mirrors Scala's `require`, which prefixes "requirement failed: ".
 */
export class SparkException extends Error {
  override name = "SparkException";
}
export class IllegalStateException extends Error {
  override name = "IllegalStateException";
}
export class IllegalArgumentException extends Error {
  override name = "IllegalArgumentException";
}
export class UnsupportedOperationException extends Error {
  override name = "UnsupportedOperationException";
}
export class NoSuchElementException extends Error {
  override name = "NoSuchElementException";
}

/** Throws IllegalArgumentException("requirement failed: <message>") unless `condition` holds. */
export function require(condition: boolean, message: string | (() => string)): asserts condition {
  if (!condition) {
    throw new IllegalArgumentException(`requirement failed: ${typeof message === "function" ? message() : message}`);
  }
}

/**
 * A user function failed while computing a stream's batch. It names the stream (id and name)
 * and the batch time, so that the dashboard can attribute the failure; `cause` is the original error.
 */
export class StreamOperationError extends Error {
  override name = "StreamOperationError";
  constructor(
    readonly streamId: string,
    readonly streamName: string,
    readonly batchTimeMs: number | undefined,
    override readonly cause: unknown,
  ) {
    const what = cause instanceof Error ? cause.message : String(cause);
    const at = batchTimeMs === undefined ? "" : ` at time ${batchTimeMs} ms`;
    super(`Error in ${streamName} [${streamId}]${at}: ${what}`);
  }
}
