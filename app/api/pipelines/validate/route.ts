import { NextResponse } from "next/server";
import { diagnose } from "@/engine/pipeline/diagnostics";
import { vmSyntaxChecker } from "@/engine/pipeline/userFunction";
import { documentFrom, readJson } from "@/server/pipelines/http";

export const dynamic = "force-dynamic";

/** POST /api/pipelines/validate: a document → its diagnostics (400 with zod issues if it is no document). */
export async function POST(request: Request) {
  const read = await readJson(request);
  if (!read.ok) return read.response;
  const parsed = documentFrom(read.body);
  if (!parsed.ok) return parsed.response;
  const diagnostics = diagnose(parsed.document, { checkSyntax: vmSyntaxChecker });
  return NextResponse.json({ ok: !diagnostics.some((d) => d.severity === "error"), diagnostics });
}
