import { HISTORIC_AVERAGES_TABLE } from "./samples";

/**
 * The columns of a table of the app's database, as the table editor shows them and as saving
 * checks them. Browser-safe. The tables the templates read have fixed columns: a lookup join
 * matches keys by value, so an account number saved as a number would never match the stream's
 * string key.
 */
export interface TableColumn {
  readonly name: string;
  readonly type: "text" | "number";
  /** A row without it is refused (a key column). */
  readonly required?: boolean;
}

export const KNOWN_TABLE_COLUMNS: Readonly<Record<string, readonly TableColumn[]>> = {
  [HISTORIC_AVERAGES_TABLE]: [
    { name: "account_number", type: "text", required: true },
    { name: "average_transaction", type: "number", required: true },
  ],
};

/** A known table's columns, or those its rows have (a column is a number column when all its values are numbers). */
export function columnsOf(table: string, rows: readonly Record<string, unknown>[]): TableColumn[] {
  const known = KNOWN_TABLE_COLUMNS[table];
  if (known) return [...known];
  const names: string[] = [];
  for (const row of rows) for (const key of Object.keys(row)) if (!names.includes(key)) names.push(key);
  return names.map((name) => {
    const values = rows.map((r) => r[name]).filter((v) => v !== null && v !== undefined);
    return { name, type: values.length > 0 && values.every((v) => typeof v === "number") ? "number" : "text" };
  });
}

/** What is wrong with rows for a known table's columns, one message per problem, naming the row (1-based) and column. */
export function tableRowProblems(table: string, rows: readonly Record<string, unknown>[]): string[] {
  const columns = KNOWN_TABLE_COLUMNS[table];
  if (!columns) return [];
  const problems: string[] = [];
  rows.forEach((row, i) => {
    for (const c of columns) {
      const v = row[c.name];
      if (v === null || v === undefined || v === "") {
        if (c.required) problems.push(`row ${i + 1}: ${c.name} is missing`);
      } else if (c.type === "number" && (typeof v !== "number" || !Number.isFinite(v))) {
        problems.push(`row ${i + 1}: ${c.name} must be a number, got ${JSON.stringify(v)}`);
      } else if (c.type === "text" && typeof v !== "string") {
        problems.push(`row ${i + 1}: ${c.name} must be text, got ${JSON.stringify(v)}`);
      }
    }
    for (const key of Object.keys(row)) {
      if (!columns.some((c) => c.name === key)) problems.push(`row ${i + 1}: table ${table} has no column ${key}`);
    }
  });
  return problems;
}

/**
 * Rows typed in as text, as their columns' values: number columns must hold numbers, empty cells
 * are null. Returns the rows, or the problems naming row and column.
 */
export function rowsFromText(columns: readonly TableColumn[], texts: readonly Record<string, string>[]): { ok: true; rows: Record<string, string | number | null>[] } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  const rows = texts.map((text, i) =>
    Object.fromEntries(
      columns.map((c) => {
        const raw = (text[c.name] ?? "").trim();
        if (raw === "") {
          if (c.required) problems.push(`row ${i + 1}: ${c.name} is missing`);
          return [c.name, null];
        }
        if (c.type === "text") return [c.name, text[c.name]];
        const n = Number(raw);
        if (!Number.isFinite(n)) problems.push(`row ${i + 1}: ${c.name} "${raw}" is not a number`);
        return [c.name, n];
      }),
    ),
  );
  return problems.length ? { ok: false, problems } : { ok: true, rows };
}
