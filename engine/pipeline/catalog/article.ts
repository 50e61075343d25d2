import { z } from "zod";
import { defineNode } from "./types";
import { fieldName, readField } from "./fields";

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

/** Parses `id,MM/dd/yyyy,account_number,amount,description`; the description may hold commas. */
export function parseTransactionLine(line: unknown): { ok: true; value: SimpleTransaction } | { ok: false; dead: DeadLetter } {
  const text = typeof line === "string" ? line : String(line);
  const fail = (error: string, id?: number) => ({ ok: false as const, dead: id === undefined ? { originalMessage: text, error } : { id, originalMessage: text, error } });
  const parts = text.split(",");
  const idText = parts[0]?.trim() ?? "";
  const id = /^-?\d+$/.test(idText) ? Number(idText) : undefined;
  if (parts.length < 5) return fail(`expected 5 comma-separated fields (id,date,account_number,amount,description), got ${parts.length}`, id);
  if (id === undefined) return fail(`id "${idText}" is not a whole number`);
  const [, dateText, account, amountText] = parts.map((p) => p.trim());
  const m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(dateText);
  const month = m ? Number(m[1]) : 0;
  const day = m ? Number(m[2]) : 0;
  const check = m ? new Date(Date.UTC(Number(m[3]), month - 1, day)) : undefined;
  if (!m || !check || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    return fail(`date "${dateText}" is not a valid MM/dd/yyyy date`, id);
  }
  const amount = Number(amountText);
  if (amountText === "" || !Number.isFinite(amount)) return fail(`amount "${amountText}" is not a number`, id);
  if (account === "") return fail("account_number is empty", id);
  return {
    ok: true,
    value: { id, date: `${m[3]}-${m[1]}-${m[2]}`, account_number: account, amount, description: parts.slice(4).join(",").trim() },
  };
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
    const parsed = input().map(parseTransactionLine);
    type Parsed = ReturnType<typeof parseTransactionLine>;
    return {
      out: parsed.flatMap((r) => ((r as Parsed).ok ? [(r as Extract<Parsed, { ok: true }>).value] : [])),
      deadLetter: parsed.flatMap((r) => ((r as Parsed).ok ? [] : [(r as Extract<Parsed, { ok: false }>).dead])),
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
