import { NextResponse } from "next/server";
import { z } from "zod";
import type { PipelineDocument } from "@/engine/pipeline/document";
import { documentFrom, guardStored, problem, readJson } from "@/server/pipelines/http";
import { getPipeline } from "@/server/pipelines/repository";
import { runHub } from "@/server/pipelines/startRun";
import type { ReplayAgainst, ReplayResponse } from "@/server/runs/types";
import { services } from "@/server/services";

export const dynamic = "force-dynamic";

const body = z
  .object({
    /** Replay this batch (and those before it) and answer with it side by side; absent: compare every recorded batch. */
    batchTimeMs: z.number().int().nonnegative().optional(),
    /** The document to compare; absent: the run's pipeline as the editor has it (its working copy, else its current version). */
    document: z.unknown().optional(),
  })
  .strict();

/**
 * POST /api/runs/:runId/replay `{ batchTimeMs?, document? }`: replays the run's recorded input
 * through the run's own document and through the other one, in a replay process (never in this
 * server's), and answers with what changed per output and batch, or one batch side by side.
 */
export async function POST(request: Request, { params }: { params: Promise<{ runId: string }> }) {
  const { runId } = await params;
  const read = await readJson(request);
  if (!read.ok) return read.response;
  const parsed = body.safeParse(read.body);
  if (!parsed.success) return problem(400, "expected { batchTimeMs?: number, document?: pipeline document }", { issues: parsed.error.issues });
  const hub = runHub();
  if (!hub.ok) return hub.response;
  return guardStored(async () => {
    let document: PipelineDocument;
    let against: ReplayAgainst;
    if (parsed.data.document !== undefined) {
      const doc = documentFrom(parsed.data.document);
      if (!doc.ok) return doc.response;
      document = doc.document;
      against = { source: "request" };
    } else {
      const run = await services().db.run.findUnique({ where: { id: runId }, select: { pipelineId: true } });
      if (!run) return problem(404, `no run with id "${runId}"`);
      const pipeline = run.pipelineId ? await getPipeline(services().db, run.pipelineId) : null;
      if (!pipeline) return problem(409, `run ${runId} has no pipeline to replay against (it was deleted); send a document instead`);
      document = pipeline.draft ?? pipeline.document;
      against = { source: "pipeline", pipelineId: pipeline.id, version: pipeline.version, workingCopy: pipeline.draft !== undefined };
    }
    try {
      const outcome =
        parsed.data.batchTimeMs === undefined
          ? await hub.runs.replays.compare(runId, document)
          : await hub.runs.replays.replayBatch(runId, parsed.data.batchTimeMs, document);
      const response: ReplayResponse = { runId, against, outcome };
      return NextResponse.json(response, { status: outcome.ok ? 200 : 422 });
    } catch (err) {
      // By name: the hub's classes are another module instance than this bundle's.
      const name = (err as Error)?.name;
      if (name === "ReplayRefused") return problem((err as { status: number }).status, (err as Error).message);
      if (name === "InvalidRecordingError") return problem(422, `the run's recording cannot be replayed: ${(err as Error).message}`);
      throw err;
    }
  });
}
