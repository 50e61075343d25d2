import { NextResponse } from "next/server";
import { problem } from "@/server/pipelines/http";
import { runHub } from "@/server/pipelines/startRun";

export const dynamic = "force-dynamic";

/** GET /api/runs/:runId/recording: the run's recorded input batches (times and size) and the caps. */
export async function GET(_request: Request, { params }: { params: Promise<{ runId: string }> }) {
  const { runId } = await params;
  const hub = runHub();
  if (!hub.ok) return hub.response;
  try {
    return NextResponse.json(await hub.runs.replays.summary(runId));
  } catch (err) {
    // By name: the hub's classes are another module instance than this bundle's.
    if ((err as Error)?.name === "ReplayRefused") return problem((err as { status: number }).status, (err as Error).message);
    throw err;
  }
}
