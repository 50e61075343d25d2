/**
 * The fraud pipelines written by hand: one loop over the lines, Maps per account, no engine. They
 * do the work the compiled templates do (parse with the same function, window of two 5 s batches
 * sliding by two, the same AggregateData update, the same rules and flag records) so that their
 * rate is the bar the engine is measured against, and their flags must equal the engine's.
 */
import { parseTransactionLine, type SimpleTransaction } from "../../engine/pipeline/catalog/article";
import { updateAggregate, type AggregateData } from "../../engine/pipeline/fraud/aggregate";
import { evaluate, historicAverageRules, stampFlags, type FlagCandidate, type FraudFlag } from "../../engine/pipeline/fraud/flags";
import { linesOf, type FraudInput } from "./input";

export interface FraudOutcome {
  flags: number;
  /** Sum of the transaction ids behind every flag: equal outcomes have equal sums. */
  txIdSum: number;
  deadLetters: number;
}

export const BATCH_MS = 5000;
const WINDOW_MS = 10_000;
const WINDOW_BATCHES = WINDOW_MS / BATCH_MS;

export function addFlags(outcome: FraudOutcome, flags: readonly FraudFlag[]): void {
  outcome.flags += flags.length;
  for (const f of flags) for (const id of f.txIds) outcome.txIdSum += id;
}

/** Parses one batch into the window's lists per account (arrival order). */
function parseInto(parts: readonly string[], window: Map<string, SimpleTransaction[]>, outcome: FraudOutcome): void {
  for (const chunk of parts) {
    const lines = linesOf(chunk);
    for (let i = 0; i < lines.length; i++) {
      const parsed = parseTransactionLine(lines[i]);
      if (!parsed.ok) {
        outcome.deadLetters++;
        continue;
      }
      const tx = parsed.value;
      const list = window.get(tx.account_number);
      if (list === undefined) window.set(tx.account_number, [tx]);
      else list.push(tx);
    }
  }
}

/** window(10 s, 10 s) → updateStateByKey(AggregateData) → join historic → two rules → flags. */
export function updateStateByKeyLoop(input: FraudInput, threshold = 2000): FraudOutcome {
  const outcome: FraudOutcome = { flags: 0, txIdSum: 0, deadLetters: 0 };
  const state = new Map<string, AggregateData>();
  let window = new Map<string, SimpleTransaction[]>();
  for (let b = 0; b < input.batches.length; b++) {
    parseInto(input.batches[b], window, outcome);
    if ((b + 1) % WINDOW_BATCHES !== 0) continue;
    const timeMs = (b + 1) * BATCH_MS;
    // Every account with state is updated, with or without new transactions.
    for (const [account, old] of state) state.set(account, updateAggregate(window.get(account) ?? [], old));
    for (const [account, txs] of window) if (!state.has(account)) state.set(account, updateAggregate(txs, undefined));
    const candidates: FlagCandidate[] = [];
    for (const [account, agg] of state) {
      const historic = input.historic.get(account);
      if (historic !== undefined) for (const c of historicAverageRules(account, agg, historic, threshold)) candidates.push(c);
    }
    addFlags(outcome, stampFlags(candidates, timeMs, WINDOW_MS));
    window = new Map();
  }
  return outcome;
}

/** Lists per account over the window (10 s, 10 s) → mapWithState(AggregateData) → amount > 4000 → flags. */
export function mapWithStateLoop(input: FraudInput, fraudAmount = 4000): FraudOutcome {
  const outcome: FraudOutcome = { flags: 0, txIdSum: 0, deadLetters: 0 };
  const state = new Map<string, AggregateData>();
  let window = new Map<string, SimpleTransaction[]>();
  for (let b = 0; b < input.batches.length; b++) {
    parseInto(input.batches[b], window, outcome);
    if ((b + 1) % WINDOW_BATCHES !== 0) continue;
    const timeMs = (b + 1) * BATCH_MS;
    // The inverse window keeps every account it has seen (with an empty list once its
    // transactions left), so the state function runs for all of them.
    for (const account of window.keys()) if (!state.has(account)) state.set(account, undefined as unknown as AggregateData);
    const evaluated = [];
    for (const [account, old] of state) {
      const txs = window.get(account) ?? [];
      const next = updateAggregate(txs, old);
      state.set(account, next);
      for (const tx of txs) if (tx.amount > fraudAmount) evaluated.push(evaluate(tx, next, fraudAmount));
    }
    addFlags(outcome, stampFlags(evaluated, timeMs, WINDOW_MS));
    window = new Map();
  }
  return outcome;
}
