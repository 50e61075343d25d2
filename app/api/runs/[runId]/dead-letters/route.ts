import { pagedRecords } from "@/server/runs/http/pagedRecords";

export const dynamic = "force-dynamic";

/** GET /api/runs/:runId/dead-letters: the run's dead letters (unparsable records with their errors), newest first, paged with ?before=&limit=. */
export async function GET(request: Request, { params }: { params: Promise<{ runId: string }> }) {
  const { runId } = await params;
  return pagedRecords("deadLetters", runId, request);
}
