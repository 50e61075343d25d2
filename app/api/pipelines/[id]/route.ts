import { NextResponse } from "next/server";
import { documentFrom, guardStored, problem, readJson } from "@/server/pipelines/http";
import { deletePipeline, getPipeline, updatePipeline } from "@/server/pipelines/repository";
import { services } from "@/server/services";
import { z } from "zod";
import { renamePipeline } from "@/server/pipelines/repository";

export const dynamic = "force-dynamic";
type Params = { params: Promise<{ id: string }> };

/** GET /api/pipelines/:id: the current document and its version number. */
export async function GET(_request: Request, { params }: Params) {
  const { id } = await params;
  return guardStored(async () => {
    const found = await getPipeline(services().db, id);
    return found ? NextResponse.json(found) : problem(404, `no pipeline with id ${id}`);
  });
}

/** PUT /api/pipelines/:id: replaces the document; the previous one is kept as a version. */
export async function PUT(request: Request, { params }: Params) {
  const { id } = await params;
  const read = await readJson(request);
  if (!read.ok) return read.response;
  const parsed = documentFrom(read.body);
  if (!parsed.ok) return parsed.response;
  const updated = await updatePipeline(services().db, id, parsed.document);
  return updated ? NextResponse.json(updated) : problem(404, `no pipeline with id ${id}`);
}

/** DELETE /api/pipelines/:id: the pipeline and its versions. */
export async function DELETE(_request: Request, { params }: Params) {
  const { id } = await params;
  return (await deletePipeline(services().db, id)) ? new NextResponse(null, { status: 204 }) : problem(404, `no pipeline with id ${id}`);
}

const renameBody = z.object({
  name: z.string().trim().min(1, "a pipeline needs a name").max(120, "a pipeline name has at most 120 characters"),
});

/** PATCH /api/pipelines/:id `{ name }`: renames the pipeline without making a version. */
export async function PATCH(request: Request, { params }: Params) {
  const { id } = await params;
  const read = await readJson(request);
  if (!read.ok) return read.response;
  const parsed = renameBody.safeParse(read.body);
  if (!parsed.success) return problem(400, parsed.error.issues[0]?.message ?? "expected { name: string }", { issues: parsed.error.issues });
  return guardStored(async () =>
    (await renamePipeline(services().db, id, parsed.data.name)) ? NextResponse.json({ id, name: parsed.data.name }) : problem(404, `no pipeline with id ${id}`),
  );
}
