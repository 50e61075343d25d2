import { NextResponse } from "next/server";
import { z } from "zod";
import { problem, readJson } from "@/server/pipelines/http";
import { runHub } from "@/server/pipelines/startRun";

export const dynamic = "force-dynamic";

const body = z.object({ choice: z.enum(["fresh", "keep-stopped"]) });

/**
 * POST /api/runs/:runId/recovery `{ choice: "fresh" | "keep-stopped" }`: the user's answer for a
 * run that found no usable checkpoint when it resumed (409 when no such question is pending).
 */
export async function POST(request: Request, { params }: { params: Promise<{ runId: string }> }) {
  const { runId } = await params;
  const read = await readJson(request);
  if (!read.ok) return read.response;
  const parsed = body.safeParse(read.body);
  if (!parsed.success) return problem(400, 'expected { choice: "fresh" | "keep-stopped" }', { issues: parsed.error.issues });
  const hub = runHub();
  if (!hub.ok) return hub.response;
  try {
    await hub.runs.decideRecovery(runId, parsed.data.choice);
  } catch (err) {
    // By name: the hub's classes are another module instance than this bundle's (see RecoveryNotPending).
    if ((err as Error)?.name === "RecoveryNotPending") return problem(409, (err as Error).message);
    throw err;
  }
  return NextResponse.json({ runId, choice: parsed.data.choice, snapshot: hub.runs.snapshot(runId) });
}
