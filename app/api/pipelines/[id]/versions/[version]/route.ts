import { NextResponse } from "next/server";
import { z } from "zod";
import { guardStored, problem, readJson } from "@/server/pipelines/http";
import { getVersion, labelVersion } from "@/server/pipelines/repository";
import { services } from "@/server/services";

export const dynamic = "force-dynamic";
type Params = { params: Promise<{ id: string; version: string }> };

function versionNumber(text: string): number | null {
  return /^[1-9]\d{0,8}$/.test(text) ? Number(text) : null;
}

/** GET /api/pipelines/:id/versions/:version: that version's document (the current one's too), to compare. */
export async function GET(_request: Request, { params }: Params) {
  const { id, version } = await params;
  const n = versionNumber(version);
  if (n === null) return problem(400, `version must be a whole number from 1, not ${JSON.stringify(version)}`);
  return guardStored(async () => {
    const found = await getVersion(services().db, id, n);
    return found ? NextResponse.json(found) : problem(404, `pipeline ${id} has no version ${n}`);
  });
}

const labelBody = z.object({ label: z.string().trim().max(80, "a version name has at most 80 characters").nullable() });

/** PATCH /api/pipelines/:id/versions/:version `{ label }`: names a version (null or "" removes the name). */
export async function PATCH(request: Request, { params }: Params) {
  const { id, version } = await params;
  const n = versionNumber(version);
  if (n === null) return problem(400, `version must be a whole number from 1, not ${JSON.stringify(version)}`);
  const read = await readJson(request);
  if (!read.ok) return read.response;
  const parsed = labelBody.safeParse(read.body);
  if (!parsed.success) return problem(400, parsed.error.issues[0]?.message ?? "expected { label: string | null }", { issues: parsed.error.issues });
  const label = parsed.data.label || null;
  return (await labelVersion(services().db, id, n, label)) ? NextResponse.json({ version: n, label }) : problem(404, `pipeline ${id} has no version ${n}`);
}
