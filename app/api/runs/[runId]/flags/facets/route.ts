import { NextResponse } from "next/server";
import { runRecords } from "@/server/runs/http/pagedRecords";

export const dynamic = "force-dynamic";

/** GET /api/runs/:runId/flags/facets: the accounts and rules of the run's flags, with counts, for the fraud panel's filters. */
export async function GET(_request: Request, { params }: { params: Promise<{ runId: string }> }) {
  const { runId } = await params;
  const run = await runRecords(runId);
  if (!run.ok) return run.response;
  return NextResponse.json(await run.records.flagFacets(runId));
}
