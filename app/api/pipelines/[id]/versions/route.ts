import { NextResponse } from "next/server";
import { z } from "zod";
import { guardStored, problem, readJson } from "@/server/pipelines/http";
import { listVersions, restoreVersion } from "@/server/pipelines/repository";
import { services } from "@/server/services";

export const dynamic = "force-dynamic";
type Params = { params: Promise<{ id: string }> };

/** GET /api/pipelines/:id/versions: the kept previous versions, newest first. */
export async function GET(_request: Request, { params }: Params) {
  const { id } = await params;
  const db = services().db;
  if (!(await db.pipeline.findUnique({ where: { id }, select: { id: true } }))) return problem(404, `no pipeline with id ${id}`);
  return NextResponse.json({ versions: await listVersions(db, id) });
}

const restoreBody = z.object({ version: z.number().int().positive() });

/** POST /api/pipelines/:id/versions `{ version }`: restores that version (the current one is kept). */
export async function POST(request: Request, { params }: Params) {
  const { id } = await params;
  const read = await readJson(request);
  if (!read.ok) return read.response;
  const parsed = restoreBody.safeParse(read.body);
  if (!parsed.success) return problem(400, "expected { version: <whole number> }", { issues: parsed.error.issues });
  return guardStored(async () => {
    const result = await restoreVersion(services().db, id, parsed.data.version);
    if (result === null) return problem(404, `no pipeline with id ${id}`);
    if (result === "no-version") return problem(404, `pipeline ${id} has no version ${parsed.data.version}`);
    return NextResponse.json(result);
  });
}
