import { NextResponse } from "next/server";
import { z } from "zod";
import { guardStored, problem, readJson } from "@/server/pipelines/http";
import { getPipeline } from "@/server/pipelines/repository";
import { checkRunnable, runHub } from "@/server/pipelines/startRun";
import { FINAL_STATUSES } from "@/server/runs/types";
import { services } from "@/server/services";

export const dynamic = "force-dynamic";
type Params = { params: Promise<{ id: string }> };

/** GET /api/pipelines/:id/run: the runs of this pipeline the hub knows; `?runId=` gives one run's snapshot. */
export async function GET(request: Request, { params }: Params) {
  const { id } = await params;
  const hub = runHub();
  if (!hub.ok) return hub.response;
  const runId = new URL(request.url).searchParams.get("runId");
  if (runId) {
    const snapshot = hub.runs.snapshot(runId);
    return snapshot ? NextResponse.json({ snapshot }) : problem(404, `no run with id ${runId}`);
  }
  return NextResponse.json({ runs: hub.runs.list().filter((r) => r.pipelineId === id) });
}

const body = z.discriminatedUnion("action", [
  z.object({ action: z.literal("start") }),
  z.object({ action: z.enum(["stop", "pause", "resume", "step"]), runId: z.string().min(1) }),
]);

/**
 * POST /api/pipelines/:id/run `{ action }`: start runs the saved document (refused with 422 and
 * the diagnostics while it has errors); stop, pause, resume and step act on `runId`.
 */
export async function POST(request: Request, { params }: Params) {
  const { id } = await params;
  const read = await readJson(request);
  if (!read.ok) return read.response;
  const parsed = body.safeParse(read.body);
  if (!parsed.success) return problem(400, "expected { action: start } or { action: stop|pause|resume|step, runId }", { issues: parsed.error.issues });
  return guardStored(async () => {
    const action = parsed.data;
    if (action.action === "start") {
      const found = await getPipeline(services().db, id);
      if (!found) return problem(404, `no pipeline with id ${id}`);
      const runnable = checkRunnable(found.document);
      if (!runnable.ok) return runnable.response;
      const runId = await runnable.runs.start(found.document, id);
      return NextResponse.json({ runId, diagnostics: runnable.diagnostics }, { status: 201 });
    }
    const hub = runHub();
    if (!hub.ok) return hub.response;
    const known = hub.runs.snapshot(action.runId);
    if (!known) return problem(404, `no run with id ${action.runId}`);
    if (action.action === "stop") {
      await hub.runs.stop(action.runId, false);
    } else {
      // A run that has ended (or ends meanwhile) cannot be paused, resumed or stepped: the client's mistake.
      if (FINAL_STATUSES.has(known.status)) return problem(409, `run ${action.runId} has ${known.status}; it cannot ${action.action}`);
      try {
        hub.runs[action.action](action.runId);
      } catch (err) {
        return problem(409, `run ${action.runId}: ${(err as Error).message}`);
      }
    }
    return NextResponse.json({ runId: action.runId, snapshot: hub.runs.snapshot(action.runId) });
  });
}
