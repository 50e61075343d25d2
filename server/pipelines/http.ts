import { NextResponse } from "next/server";
import { parsePipelineDocument, type PipelineDocument } from "../../engine/pipeline/document";
import { StoredDocumentError } from "./repository";

/** Helpers shared by the pipeline route handlers: one shape for every error answer. */
export function problem(status: number, message: string, extra: Record<string, unknown> = {}) {
  return NextResponse.json({ error: message, ...extra }, { status });
}

export async function readJson(request: Request): Promise<{ ok: true; body: unknown } | { ok: false; response: NextResponse }> {
  try {
    return { ok: true, body: await request.json() };
  } catch (err) {
    return { ok: false, response: problem(400, `the request body is not JSON: ${(err as Error).message}`) };
  }
}

/** Validates a document from a request; a bad one answers 400 with the zod issues. */
export function documentFrom(body: unknown): { ok: true; document: PipelineDocument } | { ok: false; response: NextResponse } {
  const parsed = parsePipelineDocument(body);
  if (parsed.ok) return parsed;
  return { ok: false, response: problem(400, "invalid pipeline document", { issues: parsed.issues }) };
}

/** Runs a handler, turning a stored document that no longer validates into a clear 500. */
export async function guardStored(handler: () => Promise<Response>): Promise<Response> {
  try {
    return await handler();
  } catch (err) {
    if (err instanceof StoredDocumentError) return problem(500, err.message);
    throw err;
  }
}
