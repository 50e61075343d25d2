import { z } from "zod";
import { defineNode, type StateView } from "./types";
import { fieldName, optionalDurationField, readField } from "./fields";
import { asTransaction, isTransaction, updateAggregate, type AggregateData } from "../fraud/aggregate";
import { evaluate, historicAverageRules, stampFlags } from "../fraud/flags";

/** The article's `SimpleTransaction`; `date` is ISO `yyyy-MM-dd`, as java.sql.Date prints. */
export interface SimpleTransaction {
  id: number;
  date: string;
  account_number: string;
  amount: number;
  description: string;
}
/** The article's `UnparsableTransaction`, with the error as a message. */
export interface DeadLetter {
  id?: number;
  originalMessage: string;
  error: string;
}

// Per-record checks scan characters instead of using regular expressions: run processes lock their
// realm down (SES), which freezes RegExp.prototype and puts every regular expression on V8's slow path.
const isDigit = (code: number) => code >= 48 && code <= 57;

/** `-?\d+` */
function isWholeNumber(text: string): boolean {
  const start = text.charCodeAt(0) === 45 ? 1 : 0;
  if (text.length === start) return false;
  for (let i = start; i < text.length; i++) if (!isDigit(text.charCodeAt(i))) return false;
  return true;
}

/** `\d\d/\d\d/\d\d\d\d` */
function isDateShape(text: string): boolean {
  if (text.length !== 10 || text.charCodeAt(2) !== 47 || text.charCodeAt(5) !== 47) return false;
  for (const i of [0, 1, 3, 4, 6, 7, 8, 9]) if (!isDigit(text.charCodeAt(i))) return false;
  return true;
}

/** Parses `id,MM/dd/yyyy,account_number,amount,description`; the description may hold commas. */
export function parseTransactionLine(line: unknown): { ok: true; value: SimpleTransaction } | { ok: false; dead: DeadLetter } {
  const text = typeof line === "string" ? line : String(line);
  const fail = (error: string, id?: number) => ({ ok: false as const, dead: id === undefined ? { originalMessage: text, error } : { id, originalMessage: text, error } });
  const parts = text.split(",");
  const idText = parts[0]?.trim() ?? "";
  const id = isWholeNumber(idText) ? Number(idText) : undefined;
  if (parts.length < 5) return fail(`expected 5 comma-separated fields (id,date,account_number,amount,description), got ${parts.length}`, id);
  if (id === undefined) return fail(`id "${idText}" is not a whole number`);
  const [, dateText, account, amountText] = parts.map((p) => p.trim());
  const m = isDateShape(dateText);
  const month = m ? Number(dateText.slice(0, 2)) : 0;
  const day = m ? Number(dateText.slice(3, 5)) : 0;
  const check = m ? new Date(Date.UTC(Number(dateText.slice(6)), month - 1, day)) : undefined;
  if (!m || !check || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    return fail(`date "${dateText}" is not a valid MM/dd/yyyy date`, id);
  }
  const amount = Number(amountText);
  if (amountText === "" || !Number.isFinite(amount)) return fail(`amount "${amountText}" is not a number`, id);
  if (account === "") return fail("account_number is empty", id);
  return {
    ok: true,
    value: { id, date: `${dateText.slice(6)}-${dateText.slice(0, 2)}-${dateText.slice(3, 5)}`, account_number: account, amount, description: parts.slice(4).join(",").trim() },
  };
}

/** A line that did not parse, as the parse node's cache holds it beside the transactions. */
class Unparsable {
  constructor(readonly dead: DeadLetter) {}
}

export const parseTransactionsNode = defineNode({
  kind: "parseTransactions",
  category: "Transformations",
  label: "Parse transactions (CSV)",
  doc: "tryConversionToSimpleTransaction: CSV lines become SimpleTransaction {id, date, account_number, amount, description}; unparsable lines leave on the dead-letter port as {id, originalMessage, error}.",
  inputs: [{ name: "in", type: "plain", required: true }],
  outputs: [
    { name: "out", type: "plain", label: "transactions" },
    { name: "deadLetter", type: "plain", label: "dead letters", deadLetter: true },
  ],
  config: z.object({}),
  compile: ({ input }) => {
    // Both outputs read the parsed batch: parse each line once. The cache keeps the transactions
    // themselves (a dead letter marked by its class), not a result object around each one.
    const parsed = input()
      .map((line) => {
        const r = parseTransactionLine(line);
        return r.ok ? r.value : new Unparsable(r.dead);
      })
      .cache();
    return {
      out: parsed.filter((r) => !(r instanceof Unparsable)),
      deadLetter: parsed.filter((r) => r instanceof Unparsable).map((r) => (r as Unparsable).dead),
    };
  },
});

export const COMPARISONS = [">", ">=", "<", "<=", "==", "!="] as const;
type Comparison = (typeof COMPARISONS)[number];
const compare: Record<Comparison, (a: number, b: number) => boolean> = {
  ">": (a, b) => a > b,
  ">=": (a, b) => a >= b,
  "<": (a, b) => a < b,
  "<=": (a, b) => a <= b,
  "==": (a, b) => a === b,
  "!=": (a, b) => a !== b,
};

export const thresholdFilterNode = defineNode({
  kind: "thresholdFilter",
  category: "Transformations",
  label: "Threshold filter",
  doc: "filter(r => r.field [- r.minus] > threshold): keeps records whose numeric field (minus another, e.g. the historic average) passes the threshold. Paths reach into pairs: 1.0 is the value's first part.",
  inputs: [{ name: "in", type: "plain", required: true }],
  outputs: [{ name: "out", type: "same" }],
  config: z.object({
    field: fieldName("amount", "Numeric field to test, e.g. amount or 1.0 (first part of a joined value)."),
    minus: z.string().trim().default("").meta({ description: "Optional field subtracted first, e.g. 1.1 (the looked-up historic average)." }),
    op: z.enum(COMPARISONS).default(">").meta({ description: "Comparison." }),
    threshold: z.number().finite().default(2000).meta({ description: "The threshold." }),
  }),
  compile: ({ config, input }) => ({
    out: input().filter((r) => {
      const a = Number(readField(r, config.field));
      const b = config.minus ? Number(readField(r, config.minus)) : 0;
      return compare[config.op](a - b, config.threshold);
    }),
  }),
});

/**
 * The values of a key as transactions; a bad one is reported and left out. When all are good the
 * list itself is returned, not a copy: the state then shares the window's list (nothing changes
 * either in place), and a checkpoint writes it once.
 */
function transactionsOf(values: readonly unknown[], report: (record: unknown, error: unknown) => void): readonly SimpleTransaction[] {
  let i = 0;
  while (i < values.length && isTransaction(values[i])) i++;
  if (i === values.length) return values as readonly SimpleTransaction[];
  const out: SimpleTransaction[] = values.slice(0, i) as SimpleTransaction[];
  for (; i < values.length; i++) {
    try {
      out.push(asTransaction(values[i]));
    } catch (error) {
      report(values[i], error);
    }
  }
  return out;
}

export const aggregateStateNode = defineNode({
  kind: "aggregateState",
  category: "State",
  label: "Aggregate state (updateStateByKey)",
  doc: "The article's updateStateByKey into AggregateData {totalSpending, numTx, windowSpendingAvg, averageTx}: every batch, for every account with state, the running totals grow by the new transactions and windowSpendingAvg becomes their average (0 without any). No code needed; needs checkpointing.",
  inputs: [{ name: "in", type: "pair", required: true }],
  outputs: [{ name: "out", type: "pair", label: "[account, AggregateData]" }],
  config: z.object({}),
  stateful: () => true,
  compile: ({ input, builder }) => ({
    out: input().updateStateByKey((values, state) =>
      updateAggregate(transactionsOf(values, (r, e) => builder.reportError(r, e)), state as AggregateData | undefined),
    ),
  }),
});

export const aggregateWithStateNode = defineNode({
  kind: "aggregateWithState",
  category: "State",
  label: "Aggregate with state (mapWithState)",
  doc: "The article's mapWithState: per account, a list of the window's transactions (or one transaction) updates AggregateData and each transaction leaves as EvaluatedSimpleTransaction {tx, isPossibleFraud: amount > limit}. A timing-out account is dropped without output (Spark refuses updates while timing out). `snapshots` is stateSnapshots(). Needs checkpointing.",
  inputs: [{ name: "in", type: "pair", required: true }],
  outputs: [
    { name: "out", type: "plain", label: "evaluated transactions" },
    { name: "snapshots", type: "pair", label: "state snapshots" },
  ],
  config: z.object({
    fraudAmount: z.number().finite().default(4000).meta({ description: "isPossibleFraud = amount > this." }),
    timeoutMs: optionalDurationField("StateSpec.timeout: idle time after which an account's state is dropped (optional)."),
  }),
  stateful: () => true,
  compile: ({ config, input, builder }) => {
    const { mapped, snapshots } = input().mapWithState({
      fn: (_key: unknown, value: unknown, state: StateView) => {
        if (state.isTimingOut()) return [];
        const newTxs = transactionsOf(value === undefined ? [] : Array.isArray(value) ? value : [value], (r, e) => builder.reportError(r, e));
        const next = updateAggregate(newTxs, state.exists() ? (state.get() as AggregateData) : undefined);
        state.update(next);
        return newTxs.map((tx) => evaluate(tx, next, config.fraudAmount));
      },
      timeoutMs: config.timeoutMs,
    });
    return { out: mapped.flatMap((list) => list as unknown[]), snapshots };
  },
});

export const fraudRulesNode = defineNode({
  kind: "fraudRules",
  category: "Transformations",
  label: "Fraud rules (historic average)",
  doc: "The article's filter after the historic join: of [account, [AggregateData, historicAvg]], keeps accounts where averageTx - historicAvg > threshold or windowSpendingAvg - historicAvg > threshold, as one flag per rule that fired.",
  inputs: [{ name: "in", type: "pair", required: true }],
  outputs: [{ name: "out", type: "plain", label: "flags" }],
  config: z.object({ threshold: z.number().finite().default(2000).meta({ description: "How far above the historic average an average may go." }) }),
  compile: ({ config, input, builder }) => ({
    out: input().flatMap((kv) => {
      const [account, joined] = kv as [unknown, [AggregateData, unknown]];
      const historic = Number(joined?.[1]);
      if (!joined?.[0] || !Number.isFinite(historic)) {
        builder.reportError(kv, new TypeError("expected [account, [AggregateData, historic average]]"));
        return [];
      }
      return historicAverageRules(String(account), joined[0], historic, config.threshold);
    }),
  }),
});

export const fraudFlagsNode = defineNode({
  kind: "fraudFlags",
  category: "Outputs",
  label: "Fraud flags",
  doc: "foreachRDD into the dashboard's fraud panel: flags of the fraud rules, or evaluated transactions with isPossibleFraud, each with its account, rule, the numbers compared, its batch and window, and the transaction ids behind it.",
  inputs: [{ name: "in", type: "plain", required: true }],
  outputs: [],
  isOutput: true,
  config: z.object({}),
  compile: ({ input, builder, window }) => {
    builder.flags(input(), (records, batchTimeMs) => stampFlags(records, batchTimeMs, window?.windowMs ?? 0));
    return {};
  },
});
