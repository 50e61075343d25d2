import { formatRecord } from "../../../engine/sinks/format";

/** Longest sampled record text sent to browsers (characters); longer ones end with "…". */
export const MAX_SAMPLE_CHARS = 300;

/**
 * The sampled records of a stream as `print` shows them (Scala toString style), capped in length:
 * text survives JSON on the wire, where Maps, Sets and `undefined` would not.
 */
export function formatSamples(sample: readonly unknown[], maxChars = MAX_SAMPLE_CHARS): string[] {
  return sample.map((record) => {
    let text: string;
    try {
      text = formatRecord(record);
    } catch (err) {
      text = `<unprintable record: ${(err as Error).message}>`;
    }
    return text.length > maxChars ? text.slice(0, maxChars - 1) + "…" : text;
  });
}
