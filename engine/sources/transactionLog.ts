/**
 * The transaction log of the article's KafkaTransactionProducer, as pure functions:
 * which account, description and amount the producer picks at each step, how long it
 * waits before sending, and how it formats the line. Both the in-process transaction
 * generator source and the `npm run produce` command are built on this module, so the
 * two emit the very same lines.
 */

export const ACCOUNT_NUMBERS = ["123-ABC-789", "456-DEF-456", "333-XYZ-999", "987-CBA-321"] as const;

export const DESCRIPTIONS = [
  "Drug Store",
  "Grocery Store",
  "Electronics",
  "Park",
  "Gas",
  "Books",
  "Movies",
  "Misc",
] as const;

export const TRANSACTION_AMOUNTS = [10.34, 94.65, 2.49, 306.21, 1073.12, 20.0, 7.92, 4322.33] as const;

/** The deterministic mode sends steps 0..100 (the producer loops while `currentStep <= 100`). */
export const DETERMINISTIC_TRANSACTION_COUNT = 101;

/** Upper bound (exclusive, in ms) of the random mode's delay between two sends. */
export const RANDOM_MAX_DELAY_MS = 5000;

export interface TransactionLogEntry {
  /** The producer's step counter, which becomes the transaction id. */
  readonly step: number;
  readonly accountNumber: string;
  readonly description: string;
  readonly amount: number;
}

/** A source of uniform doubles in [0, 1), so that random mode can be seeded. */
export type RandomSource = () => number;

/** A small, fast, seedable PRNG (mulberry32); `Math.random` is used when no seed is given. */
export function seededRandom(seed: number): RandomSource {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Scala's `Random.nextInt(bound)`: a uniform integer in [0, bound). */
function nextInt(random: RandomSource, bound: number): number {
  return Math.floor(random() * bound);
}

/** Milliseconds the deterministic producer sleeps before sending `step`: `(step + 1) * 50`. */
export function deterministicDelayMs(step: number): number {
  return (step + 1) * 50;
}

/** The deterministic producer's transaction at `step`: every list is walked round-robin. */
export function deterministicTransaction(step: number): TransactionLogEntry {
  return {
    step,
    accountNumber: ACCOUNT_NUMBERS[step % ACCOUNT_NUMBERS.length],
    description: DESCRIPTIONS[step % DESCRIPTIONS.length],
    amount: TRANSACTION_AMOUNTS[step % TRANSACTION_AMOUNTS.length],
  };
}

/** Milliseconds the random producer sleeps before a send: uniform in [0, 5000). */
export function randomDelayMs(random: RandomSource): number {
  return nextInt(random, RANDOM_MAX_DELAY_MS);
}

/**
 * The random producer's transaction at `step`. The amount is
 * `floor((nextInt(5000) + nextDouble) * 100) / 100`, as in the article.
 */
export function randomTransaction(step: number, random: RandomSource): TransactionLogEntry {
  const accountNumber = ACCOUNT_NUMBERS[nextInt(random, ACCOUNT_NUMBERS.length)];
  const description = DESCRIPTIONS[nextInt(random, DESCRIPTIONS.length)];
  const amount = Math.floor((nextInt(random, 5000) + random()) * 100) / 100;
  return { step, accountNumber, description, amount };
}

/** `MM/dd/yyyy` in local time, as Java's SimpleDateFormat prints it. */
export function formatTransactionDate(date: Date): string {
  const mm = String(date.getMonth() + 1).padStart(2, "0");
  const dd = String(date.getDate()).padStart(2, "0");
  return `${mm}/${dd}/${date.getFullYear()}`;
}

/** A Double as Scala's `toString` prints it for amounts: `20.0`, `10.34`. */
export function formatScalaDouble(value: number): string {
  return Number.isInteger(value) ? value.toFixed(1) : String(value);
}

/** The producer's log line: `id,MM/dd/yyyy,account,amount,description`. */
export function formatTransactionLine(entry: TransactionLogEntry, date: Date): string {
  return [
    entry.step,
    formatTransactionDate(date),
    entry.accountNumber,
    formatScalaDouble(entry.amount),
    entry.description,
  ].join(",");
}

export type TransactionLogMode = "deterministic" | "random";

export interface TransactionSchedule {
  /** Delay before this send, in ms, measured from the previous send (or the start). */
  readonly delayMs: number;
  readonly entry: TransactionLogEntry;
}

/**
 * The producer's sends in order, each with the delay that precedes it. Deterministic
 * mode ends after 101 sends; random mode goes on until the consumer stops iterating.
 */
export function* transactionSchedule(
  mode: TransactionLogMode,
  random: RandomSource = Math.random,
): Generator<TransactionSchedule> {
  for (let step = 0; mode === "random" || step < DETERMINISTIC_TRANSACTION_COUNT; step++) {
    if (mode === "random") {
      const delayMs = randomDelayMs(random);
      yield { delayMs, entry: randomTransaction(step, random) };
    } else {
      yield { delayMs: deterministicDelayMs(step), entry: deterministicTransaction(step) };
    }
  }
}
