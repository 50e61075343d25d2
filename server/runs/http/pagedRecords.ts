import { NextResponse } from "next/server";
import { problem } from "../../pipelines/http";
import { services, type Services } from "../../services";
import type { StoredKind } from "../RunStore";

/**
 * GET handler body for `/api/runs/:runId/{dead-letters,errors,flags}`: one page, newest first.
 * `?before=<id>` pages back (the previous reply's `next`), `?limit=` (1..500, default 50),
 * `?nodeId=` keeps one node's.
 */
export async function pagedRecords(kind: StoredKind, runId: string, request: Request): Promise<Response> {
  const url = new URL(request.url);
  const number = (name: string): number | undefined | null => {
    const text = url.searchParams.get(name);
    if (text === null || text === "") return undefined;
    const n = Number(text);
    return Number.isInteger(n) && n >= 0 ? n : null;
  };
  const before = number("before");
  const limit = number("limit");
  if (before === null) return problem(400, `before must be a whole number (a record id); got "${url.searchParams.get("before")}"`);
  if (limit === null || limit === 0) return problem(400, `limit must be a whole number from 1 to 500; got "${url.searchParams.get("limit")}"`);
  const runs = (services() as Partial<Services>).runs;
  if (!runs) return problem(503, "run records are not available: this server has no run hub; start the app with `npm start`");
  const exists = await services().db.run.findUnique({ where: { id: runId }, select: { id: true } });
  if (!exists) return problem(404, `no run with id ${runId}`);
  await runs.records.flush(); // what the run produced a moment ago is included
  const page = await runs.records.page(kind, runId, { before, limit, nodeId: url.searchParams.get("nodeId") ?? undefined });
  const total = await runs.records.count(kind, runId);
  return NextResponse.json({ ...page, total });
}
