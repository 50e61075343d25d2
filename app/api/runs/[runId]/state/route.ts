import { NextResponse } from "next/server";
import { problem } from "@/server/pipelines/http";
import { runRecords } from "@/server/runs/http/pagedRecords";
import { checkStateQuery } from "@/server/runs/state/checkQuery";
import type { StateQuery } from "@/server/runs/state/types";
import { services } from "@/server/services";

export const dynamic = "force-dynamic";

/**
 * GET /api/runs/:runId/state?query=<JSON StateQuery>: a page of a run's state (or a diff, the top
 * keys, the list of state streams), the same answer as the socket's `run:state`. For a run that has
 * ended, also before a server restart, it comes from the run's last stored snapshot.
 */
export async function GET(request: Request, { params }: { params: Promise<{ runId: string }> }) {
  const { runId } = await params;
  const run = await runRecords(runId);
  if (!run.ok) return run.response;
  const text = new URL(request.url).searchParams.get("query");
  if (!text) return problem(400, "?query= needs a state query as JSON, e.g. {\"kind\":\"list\"}");
  let query: unknown;
  try {
    query = JSON.parse(text);
  } catch (e) {
    return problem(400, `?query= is not JSON: ${(e as Error).message}`);
  }
  const wrong = checkStateQuery(runId, query);
  if (wrong) return problem(400, wrong);
  const reply = await services().runs.queryState(runId, query as StateQuery);
  return NextResponse.json(reply, { status: reply.ok ? 200 : 404 });
}
