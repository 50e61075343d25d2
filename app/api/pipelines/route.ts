import { NextResponse } from "next/server";
import { z } from "zod";
import type { PipelineDocument } from "@/engine/pipeline/document";
import { templates, type TemplateId } from "@/engine/pipeline/samples";
import { documentFrom, problem, readJson } from "@/server/pipelines/http";
import { createPipeline, listPipelines } from "@/server/pipelines/repository";
import { checkRunnable } from "@/server/pipelines/startRun";
import { services } from "@/server/services";

export const dynamic = "force-dynamic";

/** GET /api/pipelines: the pipelines of this installation, newest first. */
export async function GET() {
  return NextResponse.json({ pipelines: await listPipelines(services().db) });
}

const templateIds = Object.keys(templates) as [TemplateId, ...TemplateId[]];
const templateRequest = z.object({
  template: z.enum(templateIds, {
    error: (issue) => `unknown template ${JSON.stringify(issue.input)}; choose one of ${templateIds.join(", ")}`,
  }),
  // The one-click "Run": create the pipeline and start a run of it in the same request.
  start: z.boolean().optional(),
});

/**
 * POST /api/pipelines: creates a pipeline from `{ template: id }` (blank, streamingBasics,
 * windowExplorer, transactions, fraudUpdateStateByKey, fraudMapWithState) or from a whole
 * document (an import), answering 201 `{ id, document }`. `{ template: id, start: true }` also
 * starts a run of it and answers 201 `{ id, runId }`; a template with errors (422 with the
 * diagnostics) or a server without a run hub (503) creates nothing.
 */
export async function POST(request: Request) {
  const read = await readJson(request);
  if (!read.ok) return read.response;
  const body = read.body;
  if (!(body && typeof body === "object" && "template" in body)) {
    const parsed = documentFrom(body);
    if (!parsed.ok) return parsed.response;
    return created(parsed.document);
  }
  const asked = templateRequest.safeParse(body);
  if (!asked.success) {
    const issues = asked.error.issues;
    const unknown = issues.find((i) => i.path[0] === "template");
    return problem(400, unknown?.message ?? "expected { template: <id>, start?: boolean }", { issues });
  }
  const parsed = documentFrom(structuredClone(templates[asked.data.template]));
  if (!parsed.ok) return parsed.response;
  if (!asked.data.start) return created(parsed.document);

  // Checked before writing, so a run that cannot start leaves no pipeline behind.
  const runnable = checkRunnable(parsed.document);
  if (!runnable.ok) return runnable.response;
  const id = await createPipeline(services().db, parsed.document);
  try {
    const runId = await runnable.runs.start(parsed.document, id);
    return NextResponse.json({ id, runId }, { status: 201 });
  } catch (err) {
    // The pipeline is kept (it can be opened and run from the editor); the answer names it.
    return problem(500, `created pipeline ${id}, but its run did not start: ${(err as Error).message}`, { id });
  }
}

async function created(document: PipelineDocument) {
  const id = await createPipeline(services().db, document);
  return NextResponse.json({ id, document }, { status: 201 });
}
