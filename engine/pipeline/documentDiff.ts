import type { PipelineDocument, PipelineEdge, PipelineNode } from "./document";

/** What changed from one pipeline document to another, in the editor's terms. */
export interface DocumentDiff {
  nodesAdded: { id: string; kind: string }[];
  nodesRemoved: { id: string; kind: string }[];
  /** Nodes whose settings, label or kind changed: the names of those fields. */
  nodesChanged: { id: string; fields: string[] }[];
  nodesMoved: string[];
  wiresAdded: string[];
  wiresRemoved: string[];
  /** Pipeline-level fields: name, description and the settings' keys. */
  pipelineChanged: string[];
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** A wire named by its ends, so a wire deleted and drawn again is no change. */
const wireName = (e: PipelineEdge) => `${e.source}.${e.sourcePort} → ${e.target}.${e.targetPort}`;

function changedFields(a: PipelineNode, b: PipelineNode): string[] {
  const fields: string[] = [];
  if (a.kind !== b.kind) fields.push("kind");
  if ((a.label ?? "") !== (b.label ?? "")) fields.push("label");
  const keys = new Set([...Object.keys(a.config), ...Object.keys(b.config)]);
  for (const key of [...keys].sort()) if (!same(a.config[key], b.config[key])) fields.push(key);
  return fields;
}

export function diffDocuments(from: PipelineDocument, to: PipelineDocument): DocumentDiff {
  const before = new Map(from.nodes.map((n) => [n.id, n]));
  const after = new Map(to.nodes.map((n) => [n.id, n]));
  const nodesChanged: DocumentDiff["nodesChanged"] = [];
  const nodesMoved: string[] = [];
  for (const [id, b] of after) {
    const a = before.get(id);
    if (!a) continue;
    const fields = changedFields(a, b);
    if (fields.length) nodesChanged.push({ id, fields });
    if (a.position.x !== b.position.x || a.position.y !== b.position.y) nodesMoved.push(id);
  }
  const wiresBefore = new Set(from.edges.map(wireName));
  const wiresAfter = new Set(to.edges.map(wireName));
  const pipelineChanged: string[] = [];
  if (from.name !== to.name) pipelineChanged.push("name");
  if (from.description !== to.description) pipelineChanged.push("description");
  const settingKeys = new Set([...Object.keys(from.settings), ...Object.keys(to.settings)]) as Set<keyof PipelineDocument["settings"]>;
  for (const key of [...settingKeys].sort()) if (!same(from.settings[key], to.settings[key])) pipelineChanged.push(key);
  return {
    nodesAdded: to.nodes.filter((n) => !before.has(n.id)).map((n) => ({ id: n.id, kind: n.kind })),
    nodesRemoved: from.nodes.filter((n) => !after.has(n.id)).map((n) => ({ id: n.id, kind: n.kind })),
    nodesChanged,
    nodesMoved,
    wiresAdded: [...wiresAfter].filter((w) => !wiresBefore.has(w)),
    wiresRemoved: [...wiresBefore].filter((w) => !wiresAfter.has(w)),
    pipelineChanged,
  };
}

export function isEmptyDiff(d: DocumentDiff): boolean {
  return Object.values(d).every((list: unknown[]) => list.length === 0);
}
