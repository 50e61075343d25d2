import { NextResponse } from "next/server";
import { z } from "zod";
import type { PipelineDocument } from "@/engine/pipeline/document";
import { templates, type TemplateId } from "@/engine/pipeline/samples";
import { documentFrom, problem, readJson } from "@/server/pipelines/http";
import { createPipeline, getPipeline, listPipelines, pipelineFromTemplate, unusedName } from "@/server/pipelines/repository";
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
  // Run on an example reuses the pipeline made from it before; `copy: true` asks for a new one.
  copy: z.boolean().optional(),
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
    return problem(400, unknown?.message ?? "expected { template: <id>, start?: boolean, copy?: boolean }", { issues });
  }
  const { template, start, copy } = asked.data;
  const db = services().db;
  if (start && !copy) {
    const reused = await runExisting(template);
    if (reused) return reused;
  }
  const parsed = documentFrom(structuredClone(templates[template]));
  if (!parsed.ok) return parsed.response;
  // A second pipeline from the same example is told apart by its name: "Window explorer (2)".
  const document = { ...parsed.document, name: await unusedName(db, parsed.document.name) };
  if (!start) return created(document, template);

  // Checked before writing, so a run that cannot start leaves no pipeline behind.
  const runnable = checkRunnable(document);
  if (!runnable.ok) return runnable.response;
  const id = await createPipeline(db, document, template);
  try {
    const runId = await runnable.runs.start(document, id);
    return NextResponse.json({ id, runId }, { status: 201 });
  } catch (err) {
    // The pipeline is kept (it can be opened and run from the editor); the answer names it.
    return problem(500, `created pipeline ${id}, but its run did not start: ${(err as Error).message}`, { id });
  }
}

async function created(document: PipelineDocument, template?: TemplateId) {
  const id = await createPipeline(services().db, document, template);
  return NextResponse.json({ id, document }, { status: 201 });
}

/**
 * Run on an example whose pipeline exists already: follows its live run, or starts its saved
 * document (200 `{ id, runId, reused: true }`). Null when no pipeline was made from the example.
 */
async function runExisting(template: TemplateId): Promise<Response | null> {
  const db = services().db;
  const id = await pipelineFromTemplate(db, template);
  const found = id ? await getPipeline(db, id).catch(() => null) : null;
  if (!id || !found) return null;
  const runnable = checkRunnable(found.document);
  if (!runnable.ok) {
    const body = (await runnable.response.json()) as Record<string, unknown>;
    return problem(runnable.response.status, `your pipeline "${found.document.name}" made from this example cannot run: ${String(body.error)}; open it to fix it, or run a new copy`, { ...body, id });
  }
  const live = runnable.runs.list().find((r) => r.pipelineId === id && r.status !== "stopped" && r.status !== "failed");
  if (live) return NextResponse.json({ id, runId: live.runId, reused: true });
  try {
    const runId = await runnable.runs.start(found.document, id);
    return NextResponse.json({ id, runId, reused: true });
  } catch (err) {
    return problem(500, `the run of pipeline ${id} did not start: ${(err as Error).message}`, { id });
  }
}
