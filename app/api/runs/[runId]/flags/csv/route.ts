import { flagsCsv } from "@/server/runs/http/flagsCsv";

export const dynamic = "force-dynamic";

/** GET /api/runs/:runId/flags/csv: the run's fraud flags as a CSV download, with the panel's filters (?account=, ?rule=). */
export async function GET(request: Request, { params }: { params: Promise<{ runId: string }> }) {
  const { runId } = await params;
  return flagsCsv(runId, request);
}
