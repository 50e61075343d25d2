import { pagedRecords } from "@/server/runs/http/pagedRecords";

export const dynamic = "force-dynamic";

/** GET /api/runs/:runId/errors: the run's node errors (records that made a user function throw), newest first, paged with ?before=&limit=. */
export async function GET(request: Request, { params }: { params: Promise<{ runId: string }> }) {
  const { runId } = await params;
  return pagedRecords("nodeErrors", runId, request);
}
