import { NextResponse } from "next/server";
import { documentFrom, problem, readJson } from "@/server/pipelines/http";
import { saveDraft } from "@/server/pipelines/repository";
import { services } from "@/server/services";

export const dynamic = "force-dynamic";
type Params = { params: Promise<{ id: string }> };

/**
 * PUT /api/pipelines/:id/draft: autosave between versions. Keeps the edited document as the
 * pipeline's working copy without making a version (PUT /api/pipelines/:id does that).
 */
export async function PUT(request: Request, { params }: Params) {
  const { id } = await params;
  const read = await readJson(request);
  if (!read.ok) return read.response;
  const parsed = documentFrom(read.body);
  if (!parsed.ok) return parsed.response;
  const saved = await saveDraft(services().db, id, parsed.document);
  return saved ? NextResponse.json({ ...saved, draft: true }) : problem(404, `no pipeline with id ${id}`);
}
