/**
 * The realistic benchmark's input: transaction lines in the article's CSV format
 * (`id,MM/dd/yyyy,account_number,amount,description`), generated once from a seed so that the
 * engine and the hand-written loops read the very same text. A batch is held as one chunk of
 * newline-separated lines per partition (as a file or a fetch from Kafka arrives), split into
 * lines by whoever reads it; three million separate strings kept alive for the whole run would
 * instead make every full garbage collection of the engine (not of the loop, which collects less)
 * walk them.
 */
import { seededRandom } from "../../engine/sources/transactionLog";

export interface FraudInput {
  /** batches[b][p]: the lines of partition p of batch b, newline-separated. */
  readonly batches: readonly (readonly string[])[];
  /** account_number → historic average (the `account_aggregates` table). */
  readonly historic: ReadonlyMap<string, number>;
  readonly records: number;
}

const accountName = (i: number) => `ACC-${String(i).padStart(5, "0")}`;

/**
 * `numBatches` batches of `perBatch` lines over `accounts` accounts. Every 500th account spends
 * 2,500-4,500 per transaction (far above its history, so the historic-average rules fire for it),
 * the others 5-305 with one transaction in 300 above 4,000 (the per-transaction rule); one line in
 * 2,000 is unparsable (a dead letter).
 */
export function fraudInput(numBatches: number, perBatch: number, accounts: number, partitions: number, seed = 17): FraudInput {
  const random = seededRandom(seed);
  const batches: string[][] = [];
  let id = 0;
  for (let b = 0; b < numBatches; b++) {
    const lines: string[] = new Array(perBatch);
    for (let i = 0; i < perBatch; i++) {
      id++;
      const a = Math.floor(random() * accounts);
      if (random() < 0.0005) {
        lines[i] = `${id},not a date,${accountName(a)},12.50,bad line`;
        continue;
      }
      const big = a % 500 === 7;
      const r = random();
      const amount = big ? 2500 + r * 2000 : r < 1 / 300 ? 4000 + random() * 5000 : 5 + r * 300;
      const day = 1 + (b % 28);
      lines[i] = `${id},03/${String(day).padStart(2, "0")}/2024,${accountName(a)},${amount.toFixed(2)},purchase ${id % 97}`;
    }
    const parts: string[] = [];
    for (let p = 0; p < partitions; p++) parts.push(lines.slice(Math.floor((p * perBatch) / partitions), Math.floor(((p + 1) * perBatch) / partitions)).join("\n"));
    batches.push(parts);
  }
  const historic = new Map<string, number>();
  for (let a = 0; a < accounts; a++) historic.set(accountName(a), 100 + (a % 50));
  return { batches, historic, records: numBatches * perBatch };
}

/** The lines of one partition's chunk. */
export function linesOf(chunk: string): string[] {
  return chunk === "" ? [] : chunk.split("\n");
}
