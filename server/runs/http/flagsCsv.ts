import { problem } from "../../pipelines/http";
import type { StoredItem } from "../RunStore";
import type { FlagReport } from "../types";
import { recordFilter, runRecords } from "./pagedRecords";

/** The columns of a flags export, in order. */
export const FLAG_CSV_COLUMNS = [
  "flag_id",
  "run_id",
  "node_id",
  "batch_time",
  "batch_time_ms",
  "window_start_ms",
  "window_end_ms",
  "account",
  "rule",
  "average_tx",
  "window_spending_avg",
  "historic_avg",
  "amount",
  "threshold",
  "transaction_ids",
] as const;

/** An export holds at most this many flags; more are refused with a hint to filter. */
export const MAX_EXPORTED_FLAGS = 100_000;

/**
 * One CSV cell (RFC 4180 quoting). Text that a spreadsheet would run as a formula (=, +, -, @, tab,
 * CR first) is prefixed with a quote, because accounts and rules can come from user data.
 */
export function csvCell(value: string | number | null | undefined, decimals?: number): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return "";
    // Full precision unless rounding was asked for (`?decimals=`); whole numbers (ids, times) stay whole.
    return decimals === undefined || Number.isInteger(value) ? String(value) : String(Number(value.toFixed(decimals)));
  }
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** One flag as a CSV line, in FLAG_CSV_COLUMNS order. */
export function flagCsvLine(runId: string, stored: StoredItem<FlagReport>, decimals?: number): string {
  const { flag, batchTimeMs, nodeId } = stored.item;
  const cells: (string | number | null)[] = [
    stored.id,
    runId,
    nodeId,
    new Date(batchTimeMs).toISOString(),
    batchTimeMs,
    flag.window?.startMs ?? null,
    flag.window?.endMs ?? null,
    flag.account,
    flag.rule,
    flag.averageTx,
    flag.windowSpendingAvg,
    flag.historicAvg,
    flag.amount,
    flag.threshold,
    (flag.txIds ?? []).join(" "),
  ];
  return cells.map((c) => csvCell(c, decimals)).join(",");
}

/**
 * GET body of `/api/runs/:runId/flags/csv`: every flag of the run under the panel's filters
 * (`?account=`, `?rule=`, `?nodeId=`), oldest first, as a CSV download. Amounts keep their full
 * precision; `?decimals=N` (0 to 10) rounds them to N decimals.
 */
export async function flagsCsv(runId: string, request: Request): Promise<Response> {
  const run = await runRecords(runId);
  if (!run.ok) return run.response;
  const url = new URL(request.url);
  const filter = recordFilter(url);
  const decimalsText = url.searchParams.get("decimals");
  const decimals = decimalsText === null || decimalsText === "" ? undefined : Number(decimalsText);
  if (decimals !== undefined && !(Number.isInteger(decimals) && decimals >= 0 && decimals <= 10)) {
    return problem(400, `?decimals= must be a whole number from 0 to 10 (was ${JSON.stringify(decimalsText)})`);
  }
  const total = await run.records.count("flags", runId, filter);
  if (total > MAX_EXPORTED_FLAGS) {
    return problem(413, `the run has ${total} flags under this filter, more than the ${MAX_EXPORTED_FLAGS} an export holds; filter by account or rule`);
  }
  const lines: string[] = [];
  let before: number | undefined;
  do {
    const page = await run.records.page<FlagReport>("flags", runId, { ...filter, before, limit: 500 });
    for (const item of page.items) lines.push(flagCsvLine(runId, item, decimals));
    before = page.next;
  } while (before !== undefined);
  lines.reverse(); // pages come newest first; a file reads oldest first
  const name = ["flags", runId, filter.account, filter.rule].filter(Boolean).join("-").replace(/[^\w.-]+/g, "_");
  return new Response(`${[FLAG_CSV_COLUMNS.join(","), ...lines].join("\r\n")}\r\n`, {
    headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="${name}.csv"` },
  });
}
