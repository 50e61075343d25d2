import { NextResponse } from "next/server";
import { templates, type TemplateId } from "@/engine/pipeline/samples";
import { documentFrom, problem, readJson } from "@/server/pipelines/http";
import { createPipeline, listPipelines } from "@/server/pipelines/repository";
import { services } from "@/server/services";

export const dynamic = "force-dynamic";

/** GET /api/pipelines: the pipelines of this installation, newest first. */
export async function GET() {
  return NextResponse.json({ pipelines: await listPipelines(services().db) });
}

/**
 * POST /api/pipelines: creates a pipeline from `{ template: id }` (blank, streamingBasics,
 * windowExplorer, transactions) or from a whole document (an import).
 */
export async function POST(request: Request) {
  const read = await readJson(request);
  if (!read.ok) return read.response;
  const body = read.body as { template?: unknown } | null;
  let input: unknown = body;
  if (body && typeof body === "object" && "template" in body) {
    const id = body.template;
    if (typeof id !== "string" || !Object.hasOwn(templates, id)) {
      return problem(400, `unknown template ${JSON.stringify(id)}; choose one of ${Object.keys(templates).join(", ")}`);
    }
    input = structuredClone(templates[id as TemplateId]);
  }
  const parsed = documentFrom(input);
  if (!parsed.ok) return parsed.response;
  const id = await createPipeline(services().db, parsed.document);
  return NextResponse.json({ id, document: parsed.document }, { status: 201 });
}
