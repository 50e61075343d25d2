import type { SimpleTransaction } from "../catalog/article";
import type { AggregateData } from "./aggregate";

/**
 * A possible fraud, as the fraud panel shows it. Browser-safe (no engine import), so the dashboard
 * and the server can share the type.
 */
export interface FraudFlag {
  /** The account number (the stream's key). */
  readonly account: string;
  /** `averageTx` / `windowSpendingAvg` (historic-average rules) or `amount>4000` (per transaction). */
  readonly rule: string;
  /** The numbers compared; null where the rule does not use them. */
  readonly windowSpendingAvg: number;
  readonly averageTx: number;
  readonly historicAvg: number | null;
  readonly amount: number | null;
  /** The limit the rule compares with: 2000 above the historic average, or the amount limit. */
  readonly threshold: number;
  /** The batch whose window raised it, and that window: the batches in (startMs, endMs]. */
  readonly batchTimeMs: number;
  readonly window: { readonly startMs: number; readonly endMs: number };
  /** Trace: the ids of the transactions that produced the flag (the window's, or the one transaction). */
  readonly txIds: readonly number[];
  /** Those transactions themselves, so that the flag can be read without the stream it came from. */
  readonly transactions: readonly SimpleTransaction[];
}

/** A flag before it is stamped with its batch and window by the flags output. */
export type FlagCandidate = Omit<FraudFlag, "batchTimeMs" | "window">;

/** The article's `EvaluatedSimpleTransaction`, plus the state after the update and the rule's name. */
export interface EvaluatedSimpleTransaction {
  readonly tx: SimpleTransaction;
  readonly isPossibleFraud: boolean;
  readonly rule: string;
  readonly threshold: number;
  readonly aggregate: AggregateData;
}

/**
 * The article's filter `averageTx - historicAvg > t || windowSpendingAvg - historicAvg > t`, one
 * candidate per rule that fired (both can).
 */
export function historicAverageRules(account: string, agg: AggregateData, historicAvg: number, threshold: number): FlagCandidate[] {
  const base = { account, windowSpendingAvg: agg.windowSpendingAvg, averageTx: agg.averageTx, historicAvg, amount: null, threshold, txIds: agg.windowTransactions.map((tx) => tx.id), transactions: agg.windowTransactions };
  const out: FlagCandidate[] = [];
  if (agg.averageTx - historicAvg > threshold) out.push({ ...base, rule: "averageTx" });
  if (agg.windowSpendingAvg - historicAvg > threshold) out.push({ ...base, rule: "windowSpendingAvg" });
  return out;
}

/** `EvaluatedSimpleTransaction(tx, tx.amount > limit)`. */
export function evaluate(tx: SimpleTransaction, aggregate: AggregateData, limit: number): EvaluatedSimpleTransaction {
  return { tx, isPossibleFraud: tx.amount > limit, rule: amountRule(limit), threshold: limit, aggregate };
}

// The rule's text, made once per limit rather than once per transaction.
let ruleLimit = NaN;
let ruleText = "";
function amountRule(limit: number): string {
  if (!Object.is(limit, ruleLimit)) {
    ruleLimit = limit;
    ruleText = `amount>${limit}`;
  }
  return ruleText;
}

/**
 * What the flags output accepts: candidates of `historicAverageRules`, or evaluated transactions
 * (only the possible frauds become flags). Anything else is not a flag.
 */
export function toCandidate(record: unknown): FlagCandidate | undefined {
  if (record === null || typeof record !== "object") return undefined;
  const r = record as Partial<EvaluatedSimpleTransaction & FlagCandidate>;
  if (typeof r.isPossibleFraud === "boolean" && r.tx && r.aggregate) {
    if (!r.isPossibleFraud) return undefined;
    const a = r.aggregate;
    return {
      account: r.tx.account_number,
      rule: r.rule ?? "isPossibleFraud",
      windowSpendingAvg: a.windowSpendingAvg,
      averageTx: a.averageTx,
      historicAvg: null,
      amount: r.tx.amount,
      threshold: r.threshold ?? Number.NaN,
      txIds: [r.tx.id],
      transactions: [r.tx],
    };
  }
  // A user's own rule may name no transactions; the trace is then empty rather than missing.
  if (typeof r.account === "string" && typeof r.rule === "string") return { ...(r as FlagCandidate), txIds: r.txIds ?? [], transactions: r.transactions ?? [] };
  return undefined;
}

/** Stamps candidates with their batch and window (the window ending at the batch). */
export function stampFlags(records: readonly unknown[], batchTimeMs: number, windowMs: number): FraudFlag[] {
  const window = { startMs: batchTimeMs - windowMs, endMs: batchTimeMs };
  const out: FraudFlag[] = [];
  for (const r of records) {
    const c = toCandidate(r);
    if (c) out.push({ ...c, batchTimeMs, window });
  }
  return out;
}
