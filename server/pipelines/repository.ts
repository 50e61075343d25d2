import { parsePipelineDocument, type PipelineDocument } from "../../engine/pipeline/document";
import type { Database } from "../db/client";

export interface PipelineSummary {
  id: string;
  name: string;
  description: string;
  version: number;
  updatedAt: string;
  nodeCount: number;
  /** The example template it was made from, if any. */
  template: string | null;
  /** Its newest run the database remembers. */
  lastRun: { id: string; status: string; startedAt: string } | null;
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
  const runs = await db.run.findMany({
    where: { pipelineId: { in: rows.map((r) => r.id) } },
    orderBy: { startedAt: "desc" },
    select: { id: true, pipelineId: true, status: true, startedAt: true },
  });
  const lastRun = new Map<string, PipelineSummary["lastRun"]>();
  for (const run of runs) {
    if (run.pipelineId && !lastRun.has(run.pipelineId)) lastRun.set(run.pipelineId, { id: run.id, status: run.status, startedAt: run.startedAt.toISOString() });
  }
  return rows.map((row) => {
    let nodeCount = 0;
    try {
      nodeCount = decodeStoredDocument(row.id, row.draft ?? row.document).nodes.length;
    } catch {
      nodeCount = 0;
    }
    return {
      template: row.template,
      lastRun: lastRun.get(row.id) ?? null,
      id: row.id,
      name: row.name,
      description: row.description,
      version: row.version,
      updatedAt: row.updatedAt.toISOString(),
      nodeCount,
    };
  });
}

/** Stores a new pipeline; the document must already be validated. `template`: the example it comes from. */
export async function createPipeline(db: Database, document: PipelineDocument, template?: string): Promise<string> {
  const row = await db.pipeline.create({
    data: { name: document.name, description: document.description, document: JSON.stringify(document), template: template ?? null },
  });
  return row.id;
}

/** `name`, or `name (2)`, `name (3)`… : the first not already taken, so copies are told apart. */
export async function unusedName(db: Database, name: string): Promise<string> {
  const taken = new Set((await db.pipeline.findMany({ where: { name: { startsWith: name } }, select: { name: true } })).map((r) => r.name));
  if (!taken.has(name)) return name;
  for (let i = 2; ; i++) if (!taken.has(`${name} (${i})`)) return `${name} (${i})`;
}

/** The newest pipeline made from an example template, if one is left. */
export async function pipelineFromTemplate(db: Database, template: string): Promise<string | null> {
  const row = await db.pipeline.findFirst({ where: { template }, orderBy: { updatedAt: "desc" }, select: { id: true } });
  return row?.id ?? null;
}

export interface StoredPipeline {
  id: string;
  version: number;
  updatedAt: string;
  /** The last kept version; what runs. */
  document: PipelineDocument;
  /** The user's name for the current version. */
  versionLabel?: string;
  /** Edits made since that version, autosaved but not yet kept as a version. */
  draft?: PipelineDocument;
}

export async function getPipeline(db: Database, id: string): Promise<StoredPipeline | null> {
  const row = await db.pipeline.findUnique({ where: { id } });
  if (!row) return null;
  return {
    id: row.id,
    version: row.version,
    updatedAt: row.updatedAt.toISOString(),
    document: decodeStoredDocument(row.id, row.document),
    ...(row.versionLabel ? { versionLabel: row.versionLabel } : {}),
    ...(row.draft ? { draft: decodeStoredDocument(row.id, row.draft) } : {}),
  };
}

/** Saves edits between versions: the working copy only, no new version. Null when the pipeline does not exist. */
export async function saveDraft(db: Database, id: string, document: PipelineDocument): Promise<{ id: string; version: number; updatedAt: string } | null> {
  const result = await db.pipeline.updateMany({ where: { id }, data: { draft: JSON.stringify(document), name: document.name, description: document.description } });
  if (result.count === 0) return null;
  const row = await db.pipeline.findUniqueOrThrow({ where: { id }, select: { version: true, updatedAt: true } });
  return { id, version: row.version, updatedAt: row.updatedAt.toISOString() };
}

/** Renames a pipeline in place (its document and working copy), without a new version. */
export async function renamePipeline(db: Database, id: string, name: string): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const row = await tx.pipeline.findUnique({ where: { id } });
    if (!row) return false;
    const renamed = (text: string) => JSON.stringify({ ...decodeStoredDocument(id, text), name });
    await tx.pipeline.update({ where: { id }, data: { name, document: renamed(row.document), draft: row.draft ? renamed(row.draft) : null } });
    return true;
  });
}

/** A new pipeline with the current document (working copy included), named `<name> (copy)`; its versions are not copied. */
export async function duplicatePipeline(db: Database, id: string): Promise<{ id: string; name: string } | null> {
  const found = await getPipeline(db, id);
  if (!found) return null;
  const source = found.draft ?? found.document;
  const name = await unusedName(db, `${source.name} (copy)`);
  return { id: await createPipeline(db, { ...source, name }), name };
}

/**
 * Replaces a pipeline's document, keeping the previous one as a version (in one transaction, so
 * a crash never loses either). Returns null when the pipeline does not exist.
 */
export async function updatePipeline(db: Database, id: string, document: PipelineDocument, label?: string): Promise<StoredPipeline | null> {
  return db.$transaction(async (tx) => {
    const row = await tx.pipeline.findUnique({ where: { id } });
    if (!row) return null;
    await tx.pipelineVersion.create({ data: { pipelineId: id, version: row.version, document: row.document, label: row.versionLabel } });
    const updated = await tx.pipeline.update({
      where: { id },
      data: { name: document.name, description: document.description, document: JSON.stringify(document), version: row.version + 1, draft: null, versionLabel: label ?? null },
    });
    return { id, version: updated.version, updatedAt: updated.updatedAt.toISOString(), document, ...(label ? { versionLabel: label } : {}) };
  });
}

/** Names a version: the current one or a kept one. False when there is no such version. */
export async function labelVersion(db: Database, id: string, version: number, label: string | null): Promise<boolean> {
  const current = await db.pipeline.updateMany({ where: { id, version }, data: { versionLabel: label } });
  if (current.count > 0) return true;
  const kept = await db.pipelineVersion.updateMany({ where: { pipelineId: id, version }, data: { label } });
  return kept.count > 0;
}

/** One kept version's document, or the current one's. */
export async function getVersion(db: Database, id: string, version: number): Promise<{ version: number; label: string | null; document: PipelineDocument } | null> {
  const row = await db.pipeline.findUnique({ where: { id }, select: { version: true, document: true, versionLabel: true } });
  if (!row) return null;
  if (row.version === version) return { version, label: row.versionLabel, document: decodeStoredDocument(id, row.document) };
  const kept = await db.pipelineVersion.findUnique({ where: { pipelineId_version: { pipelineId: id, version } } });
  return kept ? { version, label: kept.label, document: decodeStoredDocument(id, kept.document) } : null;
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
  /** The user's name for the version, if any. */
  label: string | null;
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
    return { version: row.version, createdAt: row.createdAt.toISOString(), name, nodeCount, label: row.label };
  });
}

/** Makes a kept version current again; the current document becomes a version itself. */
export async function restoreVersion(db: Database, id: string, version: number): Promise<StoredPipeline | null | "no-version"> {
  const row = await db.pipelineVersion.findUnique({ where: { pipelineId_version: { pipelineId: id, version } } });
  if (!row) return (await db.pipeline.findUnique({ where: { id } })) ? "no-version" : null;
  return updatePipeline(db, id, decodeStoredDocument(id, row.document));
}
