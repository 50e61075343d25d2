import { pagedRecords } from "@/server/runs/http/pagedRecords";

export const dynamic = "force-dynamic";

/** GET /api/runs/:runId/flags: the run's fraud flags (possible frauds with the rule and the numbers compared), newest first, paged with ?before=&limit=, filtered with ?account=&rule=. */
export async function GET(request: Request, { params }: { params: Promise<{ runId: string }> }) {
  const { runId } = await params;
  return pagedRecords("flags", runId, request);
}
