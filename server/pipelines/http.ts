import { NextResponse } from "next/server";
import { parsePipelineDocument, type PipelineDocument } from "../../engine/pipeline/document";
import { bodyTooLarge } from "../http/gate";
import { hasProtoKey, jsonDepth, LIMIT_SETTINGS, limits, type RequestLimits } from "../limits";
import { StoredDocumentError } from "./repository";

/** Helpers shared by the route handlers that take bodies: one shape for every error answer. */
export function problem(status: number, message: string, extra: Record<string, unknown> = {}) {
  return NextResponse.json({ error: message, ...extra }, { status });
}

class BodyTooLarge extends Error {}

/** The body's text, read no further than `max` bytes (a client may lie in Content-Length, or send none). */
async function boundedText(request: Request, max: number): Promise<string> {
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      // Stop reading without destroying the stream: the answer still goes out, then the connection closes.
      reader.releaseLock();
      throw new BodyTooLarge();
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}

/**
 * The request's JSON body, or the answer that refuses it: 413 past MAX_BODY_BYTES, 400 when it
 * is not JSON or is nested deeper than MAX_DOCUMENT_DEPTH (each message names the setting).
 */
export async function readJson(request: Request): Promise<{ ok: true; body: unknown } | { ok: false; response: NextResponse }> {
  const { maxBodyBytes, maxDepth } = limits();
  const declared = Number(request.headers.get("content-length") ?? NaN);
  if (declared > maxBodyBytes) return { ok: false, response: tooLarge(bodyTooLarge(declared, maxBodyBytes)) };
  let text: string;
  try {
    text = await boundedText(request, maxBodyBytes);
  } catch (err) {
    if (err instanceof BodyTooLarge) return { ok: false, response: tooLarge(bodyTooLarge(undefined, maxBodyBytes)) };
    return { ok: false, response: problem(400, `the request body could not be read: ${(err as Error).message}`) };
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (err) {
    return { ok: false, response: problem(400, `the request body is not JSON: ${(err as Error).message}`) };
  }
  const depth = jsonDepth(body, maxDepth);
  if (depth > maxDepth) return { ok: false, response: problem(400, tooDeep(maxDepth)) };
  if (hasProtoKey(body)) return { ok: false, response: problem(400, PROTO_KEY) };
  return { ok: true, body };
}

/** 413, closing the connection: the rest of the body is never read, so the connection cannot carry another request. */
function tooLarge(message: string): NextResponse {
  const response = problem(413, message);
  response.headers.set("connection", "close");
  return response;
}

const PROTO_KEY = 'the body holds a "__proto__" key, which is not allowed in any object';

function tooDeep(max: number): string {
  return `the body is nested more than ${max} levels deep (arrays and objects within each other); ${LIMIT_SETTINGS.maxDepth.env} raises the limit`;
}

/**
 * What a document breaks of the size limits (depth, nodes, records inline in queue nodes), as
 * issues like the schema's, or none. Checked before the schema, so that whatever validates can
 * also be stored and run.
 */
export function documentLimitIssues(body: unknown, l: RequestLimits = limits()): { path: string; message: string }[] {
  if (jsonDepth(body, l.maxDepth) > l.maxDepth) return [{ path: "(document)", message: tooDeep(l.maxDepth) }];
  if (hasProtoKey(body)) return [{ path: "(document)", message: PROTO_KEY }];
  const nodes = (body as { nodes?: unknown } | null)?.nodes;
  if (!Array.isArray(nodes)) return [];
  const issues: { path: string; message: string }[] = [];
  if (nodes.length > l.maxNodes) {
    issues.push({
      path: "nodes",
      message: `a pipeline may have at most ${l.maxNodes} nodes (this one has ${nodes.length}); ${LIMIT_SETTINGS.maxNodes.env} raises the limit`,
    });
  }
  nodes.forEach((node: unknown, i) => {
    const n = node as { kind?: unknown; config?: { batches?: unknown } } | null;
    if (n?.kind !== "queue" || !Array.isArray(n.config?.batches)) return;
    const batches = n.config.batches as unknown[];
    const records = batches.reduce<number>((sum, b) => sum + (Array.isArray(b) ? b.length : 1), 0);
    if (batches.length > l.maxQueueRecords || records > l.maxQueueRecords) {
      issues.push({
        path: `nodes.${i}.config.batches`,
        message:
          `a queue node may hold at most ${l.maxQueueRecords.toLocaleString("en-US")} records and batches inline ` +
          `(this one has ${records.toLocaleString("en-US")} records in ${batches.length.toLocaleString("en-US")} batches); ` +
          `${LIMIT_SETTINGS.maxQueueRecords.env} raises the limit, or read the data from a file or Kafka source`,
      });
    }
  });
  return issues;
}

/** Validates a document from a request; a bad one (or one past a limit) answers 400 with the issues. */
export function documentFrom(body: unknown): { ok: true; document: PipelineDocument } | { ok: false; response: NextResponse } {
  const over = documentLimitIssues(body);
  if (over.length) return { ok: false, response: problem(400, `the pipeline document is refused: ${over[0].message}`, { issues: over }) };
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
