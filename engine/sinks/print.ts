import type { RDD } from "../rdd/RDD";
import type { Time } from "../streaming/Time";
import { formatRecord } from "./format";

/** Receives the text `print()` writes for one batch (ends with an empty line). */
export type PrintSink = (text: string, info: { readonly batchTimeMs: number; readonly streamId: string }) => void;

/** Writes to stdout, as Spark's println does. */
export const defaultPrintSink: PrintSink = (text) => {
  console.log(text.endsWith("\n") ? text.slice(0, -1) : text);
};

const DASHES = "-------------------------------------------";

/**
 * Spark's print layout for one batch: dashes, `Time: <ms> ms`, dashes, up to `num` records,
 * `...` when there are more, then an empty line. Takes only `num + 1` records.
 */
export function formatBatch<T>(rdd: RDD<T>, time: Time, num: number): string {
  const first = rdd.take(num + 1);
  const lines = [DASHES, `Time: ${time}`, DASHES];
  for (const r of first.slice(0, num)) lines.push(formatRecord(r));
  if (first.length > num) lines.push("...");
  lines.push("");
  return lines.join("\n") + "\n";
}
