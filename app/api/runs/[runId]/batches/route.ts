import { NextResponse } from "next/server";
import { runRecords } from "@/server/runs/http/pagedRecords";

export const dynamic = "force-dynamic";

/**
 * GET /api/runs/:runId/batches: the completed batch summaries the database keeps of a run (the
 * newest 1,000, oldest first) and its totals, for a run this server no longer hosts.
 */
export async function GET(_request: Request, { params }: { params: Promise<{ runId: string }> }) {
  const { runId } = await params;
  const run = await runRecords(runId);
  if (!run.ok) return run.response;
  const { batches, totals } = await run.records.batchHistory(runId);
  return NextResponse.json({ batches, totals: totals ?? null });
}
