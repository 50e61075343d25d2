import { NextResponse } from "next/server";
import { problem } from "../../pipelines/http";
import { services, type Services } from "../../services";
import type { RecordFilter, RunStore, StoredKind } from "../RunStore";

/**
 * The record store for a run that exists, flushed so that what the run produced a moment ago is
 * included; or the answer that says why not (no run hub, no such run).
 */
export async function runRecords(runId: string): Promise<{ ok: true; records: RunStore } | { ok: false; response: Response }> {
  const runs = (services() as Partial<Services>).runs;
  if (!runs) return { ok: false, response: problem(503, "run records are not available: this server has no run hub; start the app with `npm start`") };
  const exists = await services().db.run.findUnique({ where: { id: runId }, select: { id: true } });
  if (!exists) return { ok: false, response: problem(404, `no run with id ${runId}`) };
  await runs.records.flush();
  return { ok: true, records: runs.records };
}

/** `?nodeId=`, `?account=`, `?rule=` of a request; empty values mean no filter. */
export function recordFilter(url: URL): RecordFilter {
  const value = (name: string) => url.searchParams.get(name) || undefined;
  return { nodeId: value("nodeId"), account: value("account"), rule: value("rule") };
}

/**
 * GET handler body for `/api/runs/:runId/{dead-letters,errors,flags}`: one page, newest first.
 * `?before=<id>` pages back (the previous reply's `next`), `?limit=` (1..500, default 50),
 * `?nodeId=` keeps one node's; for flags, `?account=` and `?rule=` keep one account's or one rule's.
 * `total` counts the records under the same filter; `dropped`, those the per-batch caps left out.
 */
export async function pagedRecords(kind: StoredKind, runId: string, request: Request): Promise<Response> {
  const url = new URL(request.url);
  const number = (name: string): number | undefined | null => {
    const text = url.searchParams.get(name);
    if (text === null || text === "") return undefined;
    const n = Number(text);
    // Safe integers only: 1e300 is an integer to JavaScript, not to the database.
    return Number.isSafeInteger(n) && n >= 0 ? n : null;
  };
  const before = number("before");
  const limit = number("limit");
  if (before === null) return problem(400, `before must be a whole number (a record id); got "${url.searchParams.get("before")}"`);
  if (limit === null || limit === 0) return problem(400, `limit must be a whole number from 1 to 500; got "${url.searchParams.get("limit")}"`);
  const run = await runRecords(runId);
  if (!run.ok) return run.response;
  const filter = recordFilter(url);
  const page = await run.records.page(kind, runId, { before, limit, ...filter });
  const total = await run.records.count(kind, runId, filter);
  return NextResponse.json({ ...page, total, dropped: run.records.dropped(kind, runId) });
}
