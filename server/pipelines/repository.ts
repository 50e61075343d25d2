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

export interface StoredPipeline {
  id: string;
  version: number;
  updatedAt: string;
  document: PipelineDocument;
}

export async function getPipeline(db: Database, id: string): Promise<StoredPipeline | null> {
  const row = await db.pipeline.findUnique({ where: { id } });
  if (!row) return null;
  return { id: row.id, version: row.version, updatedAt: row.updatedAt.toISOString(), document: decodeStoredDocument(row.id, row.document) };
}

/**
 * Replaces a pipeline's document, keeping the previous one as a version (in one transaction, so
 * a crash never loses either). Returns null when the pipeline does not exist.
 */
export async function updatePipeline(db: Database, id: string, document: PipelineDocument): Promise<StoredPipeline | null> {
  return db.$transaction(async (tx) => {
    const row = await tx.pipeline.findUnique({ where: { id } });
    if (!row) return null;
    await tx.pipelineVersion.create({ data: { pipelineId: id, version: row.version, document: row.document } });
    const updated = await tx.pipeline.update({
      where: { id },
      data: { name: document.name, description: document.description, document: JSON.stringify(document), version: row.version + 1 },
    });
    return { id, version: updated.version, updatedAt: updated.updatedAt.toISOString(), document };
  });
}

export async function deletePipeline(db: Database, id: string): Promise<boolean> {
  const result = await db.pipeline.deleteMany({ where: { id } });
  return result.count > 0;
}

export interface VersionSummary {
  version: number;
  createdAt: string;
  name: string;
  nodeCount: number;
}

/** The kept versions of a pipeline, newest first. */
export async function listVersions(db: Database, id: string): Promise<VersionSummary[]> {
  const rows = await db.pipelineVersion.findMany({ where: { pipelineId: id }, orderBy: { version: "desc" } });
  return rows.map((row) => {
    let name = "";
    let nodeCount = 0;
    try {
      const doc = decodeStoredDocument(id, row.document);
      name = doc.name;
      nodeCount = doc.nodes.length;
    } catch {
      name = "(unreadable)";
    }
    return { version: row.version, createdAt: row.createdAt.toISOString(), name, nodeCount };
  });
}

/** Makes a kept version current again; the current document becomes a version itself. */
export async function restoreVersion(db: Database, id: string, version: number): Promise<StoredPipeline | null | "no-version"> {
  const row = await db.pipelineVersion.findUnique({ where: { pipelineId_version: { pipelineId: id, version } } });
  if (!row) return (await db.pipeline.findUnique({ where: { id } })) ? "no-version" : null;
  return updatePipeline(db, id, decodeStoredDocument(id, row.document));
}
