import type { SimpleTransaction } from "../catalog/article";

/**
 * The article's `AggregateData(totalSpending, numTx, windowSpendingAvg)` with its derived
 * `averageTx`. State must be plain data (checkpoints clone it), so `averageTx` is stored, computed
 * once by `aggregateData`. `windowTransactions` are the window's transactions of the key, kept so
 * that a flag can show the transactions that produced it (the article's state has no such field).
 */
export interface AggregateData {
  readonly totalSpending: number;
  readonly numTx: number;
  readonly windowSpendingAvg: number;
  /** `if (numTx > 0) totalSpending / numTx else 0` */
  readonly averageTx: number;
  readonly windowTransactions: readonly SimpleTransaction[];
}

export function aggregateData(totalSpending: number, numTx: number, windowSpendingAvg: number, windowTransactions: readonly SimpleTransaction[] = []): AggregateData {
  return { totalSpending, numTx, windowSpendingAvg, averageTx: numTx > 0 ? totalSpending / numTx : 0, windowTransactions };
}

/** `calculatedAgg`: the fold of one window's transactions of one key. */
export function windowAggregate(newTxs: readonly SimpleTransaction[]): AggregateData {
  let total = 0;
  for (const tx of newTxs) total += tx.amount;
  const n = newTxs.length;
  return aggregateData(total, n, n > 0 ? total / n : 0, newTxs);
}

/**
 * The update function of both of the article's fraud streams: running totals add up, the window
 * average is the new window's. With no new transactions the window average is 0 (the article's code).
 */
export function updateAggregate(newTxs: readonly SimpleTransaction[], old: AggregateData | undefined): AggregateData {
  const calculated = windowAggregate(newTxs);
  if (old === undefined) return calculated;
  return aggregateData(old.totalSpending + calculated.totalSpending, old.numTx + calculated.numTx, calculated.windowSpendingAvg, calculated.windowTransactions);
}

/** Whether `value` can be read as a transaction (an object with a finite numeric amount). */
export function isTransaction(value: unknown): value is SimpleTransaction {
  const tx = value as SimpleTransaction;
  return tx !== null && typeof tx === "object" && typeof tx.amount === "number" && Number.isFinite(tx.amount);
}

/** A value read from a stream as a transaction: the amount must be a number. */
export function asTransaction(value: unknown): SimpleTransaction {
  if (!isTransaction(value)) {
    throw new TypeError(`not a SimpleTransaction (numeric amount needed): ${JSON.stringify(value)}`);
  }
  return value;
}
