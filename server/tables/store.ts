import { historicAverageRows, HISTORIC_AVERAGES_TABLE } from "../../engine/pipeline/samples";
import type { PipelineDocument } from "../../engine/pipeline/document";
import type { Database } from "../db/client";

/** A row of a table of the app's database, as pipelines see it: a plain JSON object. */
export type TableRowData = Record<string, unknown>;

/** Longest JSON text of one row that a pipeline may write (characters). */
const MAX_ROW_CHARS = 64_000;

/**
 * The tables a document's lookup joins read. They are loaded once when a run starts and handed
 * to its thread, so a run sees the table as it was at its start (the article caches its
 * `storedHistoric` dataset the same way); edits take effect on the next run.
 */
export function lookupTablesOf(document: PipelineDocument): string[] {
  const names = new Set<string>();
  for (const node of document.nodes) {
    const table = (node.config as { table?: unknown }).table;
    if (node.kind === "lookupJoin" && typeof table === "string" && table.length > 0) names.add(table);
  }
  return [...names];
}

/** The rows of each named table, oldest first. */
export async function loadTables(db: Database, names: readonly string[]): Promise<Record<string, TableRowData[]>> {
  const tables: Record<string, TableRowData[]> = {};
  for (const name of names) {
    const rows = await db.tableRow.findMany({ where: { table: name }, orderBy: { id: "asc" } });
    tables[name] = rows.map((r) => JSON.parse(r.data) as TableRowData);
  }
  return tables;
}

/** Appends rows a pipeline wrote; refuses a row that is not a JSON object, naming the table. */
export async function appendRows(db: Database, table: string, rows: readonly unknown[]): Promise<number> {
  const data = rows.map((row, i) => {
    if (row === null || typeof row !== "object" || Array.isArray(row)) {
      throw new Error(`table "${table}": row ${i} is not an object (${JSON.stringify(row)?.slice(0, 80)}); map records to objects first`);
    }
    const text = JSON.stringify(row);
    if (text.length > MAX_ROW_CHARS) throw new Error(`table "${table}": row ${i} is ${text.length} characters of JSON, over ${MAX_ROW_CHARS}`);
    return { table, data: text };
  });
  if (data.length > 0) await db.tableRow.createMany({ data });
  return data.length;
}

/** Replaces a table's rows (the historic averages editor saves this way). */
export async function replaceRows(db: Database, table: string, rows: readonly TableRowData[]): Promise<void> {
  await db.$transaction([
    db.tableRow.deleteMany({ where: { table } }),
    db.tableRow.createMany({ data: rows.map((row) => ({ table, data: JSON.stringify(row) })) }),
  ]);
}

/** A new installation holds the article's historic averages (`account_aggregates`). */
export async function seedTables(db: Database): Promise<void> {
  if ((await db.tableRow.count({ where: { table: HISTORIC_AVERAGES_TABLE } })) > 0) return;
  await replaceRows(db, HISTORIC_AVERAGES_TABLE, historicAverageRows());
}
