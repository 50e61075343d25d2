// Expected fraud flags worked out from the article's definitions, independently of the pipeline's
// code: the producer's sequence and timing, Spark's batch and window arithmetic, AggregateData and
// the two rules. Shared by the unit golden test and the Kafka integration test.
import { ACCOUNT_NUMBERS, TRANSACTION_AMOUNTS } from "@/engine/sources/transactionLog";

export interface Tx {
  id: number;
  account: string;
  amount: number;
}
export interface Sent extends Tx {
  /** When the producer sends it: the sum of (j+1)*50 ms / timeScale for j = 0..i. */
  sentMs: number;
}
/** A flag reduced to what the test compares: numbers rounded to 1e-6 (sums may add in another order). */
export interface ExpectedFlag {
  account: string;
  rule: string;
  windowSpendingAvg: string;
  averageTx: string;
  historicAvg: string | null;
  amount: string | null;
  txIds: number[];
  window: [number, number];
}

const r6 = (x: number) => x.toFixed(6);

/** The producer's 101 scripted transactions (steps 0..100). */
export function articleTransactions(timeScale: number): Sent[] {
  const out: Sent[] = [];
  let t = 0;
  for (let i = 0; i <= 100; i++) {
    t += ((i + 1) * 50) / timeScale; // the delay comes before the send
    out.push({ id: i, account: ACCOUNT_NUMBERS[i % 4], amount: TRANSACTION_AMOUNTS[i % 8], sentMs: t });
  }
  return out;
}

/**
 * The batch a record sent at `ms` lands in: the first batch time strictly after it (a record sent
 * exactly on a boundary missed that batch's allocation). Zero time is 0 on the manual clock.
 */
export const batchOf = (ms: number, batchMs: number) => (Math.floor(ms / batchMs) + 1) * batchMs;

/** Batch time → the transactions of that batch, in send order. */
export function byBatch(txs: readonly Sent[], batchMs: number): Map<number, Tx[]> {
  const m = new Map<number, Tx[]>();
  for (const tx of txs) {
    const b = batchOf(tx.sentMs, batchMs);
    m.set(b, [...(m.get(b) ?? []), tx]);
  }
  return m;
}

/** A window of `windowMs` at `t` holds the batches in (t - windowMs, t]. */
function windowAt(batches: Map<number, Tx[]>, t: number, windowMs: number): Tx[] {
  return [...batches.entries()].filter(([b]) => b > t - windowMs && b <= t).sort((a, b) => a[0] - b[0]).flatMap(([, txs]) => txs);
}

interface Agg {
  totalSpending: number;
  numTx: number;
  windowSpendingAvg: number;
}
const averageTx = (a: Agg) => (a.numTx > 0 ? a.totalSpending / a.numTx : 0);
/** The article's update function, written out again. */
function update(newTxs: readonly Tx[], old: Agg | undefined): Agg {
  const total = newTxs.reduce((s, tx) => s + tx.amount, 0);
  const n = newTxs.length;
  const calculated = { totalSpending: total, numTx: n, windowSpendingAvg: n > 0 ? total / n : 0 };
  return old ? { totalSpending: old.totalSpending + total, numTx: old.numTx + n, windowSpendingAvg: calculated.windowSpendingAvg } : calculated;
}

/** Window times: zero time + every slide, up to `lastBatchMs` (zero time is 0 on a manual clock at 0). */
const windowTimes = (slideMs: number, lastBatchMs: number, zeroMs = 0) =>
  Array.from({ length: Math.floor((lastBatchMs - zeroMs) / slideMs) }, (_, i) => zeroMs + (i + 1) * slideMs);

/**
 * Template 1: per window time, the flags of `averageTx - h > 2000 || windowSpendingAvg - h > 2000`.
 * updateStateByKey runs at window times only (its parent, the window, has RDDs only there), for
 * every account with state, data or not; accounts missing from the table are dropped by the join.
 */
export function expectedUpdateStateByKeyFlags(
  batches: Map<number, Tx[]>,
  historic: Readonly<Record<string, number>>,
  o: { windowMs: number; slideMs: number; lastBatchMs: number; zeroMs?: number; threshold?: number },
): Map<number, ExpectedFlag[]> {
  const threshold = o.threshold ?? 2000;
  const state = new Map<string, Agg>();
  const out = new Map<number, ExpectedFlag[]>();
  for (const t of windowTimes(o.slideMs, o.lastBatchMs, o.zeroMs)) {
    const inWindow = windowAt(batches, t, o.windowMs);
    const accounts = new Set([...state.keys(), ...inWindow.map((tx) => tx.account)]);
    const flags: ExpectedFlag[] = [];
    for (const account of accounts) {
      const mine = inWindow.filter((tx) => tx.account === account);
      const agg = update(mine, state.get(account));
      state.set(account, agg);
      const h = historic[account];
      if (h === undefined) continue;
      const base = { account, windowSpendingAvg: r6(agg.windowSpendingAvg), averageTx: r6(averageTx(agg)), historicAvg: r6(h), amount: null, txIds: mine.map((tx) => tx.id), window: [t - o.windowMs, t] as [number, number] };
      if (averageTx(agg) - h > threshold) flags.push({ ...base, rule: "averageTx" });
      if (agg.windowSpendingAvg - h > threshold) flags.push({ ...base, rule: "windowSpendingAvg" });
    }
    out.set(t, sortFlags(flags));
  }
  return out;
}

/**
 * Template 2: per window time, one flag per transaction of the window with amount > limit. The
 * windows are tumbling (10 s / 10 s), so each transaction is in exactly one; mapWithState is called
 * once per account per window with the window's list (empty lists too: the inverse reduce keeps keys).
 */
export function expectedMapWithStateFlags(
  batches: Map<number, Tx[]>,
  o: { windowMs: number; slideMs: number; lastBatchMs: number; zeroMs?: number; limit?: number },
): { flags: Map<number, ExpectedFlag[]>; finalState: Map<string, Agg> } {
  const limit = o.limit ?? 4000;
  const state = new Map<string, Agg>();
  const flags = new Map<number, ExpectedFlag[]>();
  for (const t of windowTimes(o.slideMs, o.lastBatchMs, o.zeroMs)) {
    const inWindow = windowAt(batches, t, o.windowMs);
    const out: ExpectedFlag[] = [];
    for (const account of new Set([...state.keys(), ...inWindow.map((tx) => tx.account)])) {
      const mine = inWindow.filter((tx) => tx.account === account);
      const agg = update(mine, state.get(account));
      state.set(account, agg);
      for (const tx of mine.filter((x) => x.amount > limit)) {
        out.push({ account, rule: `amount>${limit}`, windowSpendingAvg: r6(agg.windowSpendingAvg), averageTx: r6(averageTx(agg)), historicAvg: null, amount: r6(tx.amount), txIds: [tx.id], window: [t - o.windowMs, t] });
      }
    }
    flags.set(t, sortFlags(out));
  }
  return { flags, finalState: state };
}

export function sortFlags(flags: ExpectedFlag[]): ExpectedFlag[] {
  return [...flags].sort((a, b) => `${a.account}|${a.rule}|${a.txIds.join()}`.localeCompare(`${b.account}|${b.rule}|${b.txIds.join()}`));
}

/** A flag as the sink got it, reduced like the expected ones. */
export function reduceFlag(f: {
  account: string;
  rule: string;
  windowSpendingAvg: number;
  averageTx: number;
  historicAvg: number | null;
  amount: number | null;
  txIds: readonly number[];
  window: { startMs: number; endMs: number };
}): ExpectedFlag {
  return {
    account: f.account,
    rule: f.rule,
    windowSpendingAvg: r6(f.windowSpendingAvg),
    averageTx: r6(f.averageTx),
    historicAvg: f.historicAvg === null ? null : r6(f.historicAvg),
    amount: f.amount === null ? null : r6(f.amount),
    txIds: [...f.txIds].sort((a, b) => a - b),
    window: [f.window.startMs, f.window.endMs],
  };
}
