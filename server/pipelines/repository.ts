import { parsePipelineDocument, type PipelineDocument } from "../../engine/pipeline/document";
import type { Database } from "../db/client";

export interface PipelineSummary {
  id: string;
  name: string;
  description: string;
  version: number;
  updatedAt: string;
  nodeCount: number;
}

/** Thrown when a stored document no longer validates: names the pipeline and the fields. */
export class StoredDocumentError extends Error {}

export function decodeStoredDocument(id: string, text: string): PipelineDocument {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new StoredDocumentError(`pipeline ${id}: stored document is not JSON (${(err as Error).message})`);
  }
  const parsed = parsePipelineDocument(raw);
  if (!parsed.ok) {
    const detail = parsed.issues.map((i) => `${i.path}: ${i.message}`).join("; ");
    throw new StoredDocumentError(`pipeline ${id}: stored document is invalid (${detail})`);
  }
  return parsed.document;
}

export async function listPipelines(db: Database): Promise<PipelineSummary[]> {
  const rows = await db.pipeline.findMany({ orderBy: { updatedAt: "desc" } });
  return rows.map((row) => {
    let nodeCount = 0;
    try {
      nodeCount = decodeStoredDocument(row.id, row.document).nodes.length;
    } catch {
      nodeCount = 0;
    }
    return {
      id: row.id,
      name: row.name,
      description: row.description,
      version: row.version,
      updatedAt: row.updatedAt.toISOString(),
      nodeCount,
    };
  });
}

/** Stores a new pipeline; the document must already be validated. */
export async function createPipeline(db: Database, document: PipelineDocument): Promise<string> {
  const row = await db.pipeline.create({
    data: { name: document.name, description: document.description, document: JSON.stringify(document) },
  });
  return row.id;
}
