import type { PipelineDocument, PipelineEdge, PipelineNode, PipelineSettings } from "@/engine/pipeline/document";

/**
 * Every edit of the editor is one of these change objects, applied by a pure function, so
 * undo and redo are a stack of documents and the canvas only renders the result.
 */
export type Change =
  | { type: "addNodes"; nodes: PipelineNode[]; edges?: PipelineEdge[] }
  | { type: "moveNodes"; moves: { id: string; position: { x: number; y: number } }[] }
  | { type: "removeNodes"; ids: string[] }
  | { type: "removeEdges"; ids: string[] }
  /** One deletion by the user: nodes, the wires they had and any wires selected with them. */
  | { type: "remove"; nodeIds: string[]; edgeIds: string[] }
  | { type: "addEdge"; edge: PipelineEdge }
  | { type: "updateConfig"; id: string; config: Record<string, unknown> }
  | { type: "renameNode"; id: string; label: string | undefined }
  | { type: "updateSettings"; settings: PipelineSettings }
  | { type: "updateInfo"; name: string; description: string }
  | { type: "replace"; document: PipelineDocument };

export function applyChange(doc: PipelineDocument, change: Change): PipelineDocument {
  switch (change.type) {
    case "addNodes":
      return { ...doc, nodes: [...doc.nodes, ...change.nodes], edges: [...doc.edges, ...(change.edges ?? [])] };
    case "moveNodes": {
      const moves = new Map(change.moves.map((m) => [m.id, m.position]));
      return { ...doc, nodes: doc.nodes.map((n) => (moves.has(n.id) ? { ...n, position: moves.get(n.id)! } : n)) };
    }
    case "removeNodes": {
      const ids = new Set(change.ids);
      return {
        ...doc,
        nodes: doc.nodes.filter((n) => !ids.has(n.id)),
        edges: doc.edges.filter((e) => !ids.has(e.source) && !ids.has(e.target)),
      };
    }
    case "removeEdges": {
      const ids = new Set(change.ids);
      return { ...doc, edges: doc.edges.filter((e) => !ids.has(e.id)) };
    }
    case "remove": {
      const nodeIds = new Set(change.nodeIds);
      const edgeIds = new Set(change.edgeIds);
      if (nodeIds.size === 0 && edgeIds.size === 0) return doc;
      return {
        ...doc,
        nodes: doc.nodes.filter((n) => !nodeIds.has(n.id)),
        edges: doc.edges.filter((e) => !edgeIds.has(e.id) && !nodeIds.has(e.source) && !nodeIds.has(e.target)),
      };
    }
    case "addEdge":
      return { ...doc, edges: [...doc.edges, change.edge] };
    case "updateConfig":
      return { ...doc, nodes: doc.nodes.map((n) => (n.id === change.id ? { ...n, config: change.config } : n)) };
    case "renameNode":
      return { ...doc, nodes: doc.nodes.map((n) => (n.id === change.id ? { ...n, label: change.label } : n)) };
    case "updateSettings":
      return { ...doc, settings: change.settings };
    case "updateInfo":
      return { ...doc, name: change.name, description: change.description };
    case "replace":
      return change.document;
  }
}

export interface History {
  past: PipelineDocument[];
  present: PipelineDocument;
  future: PipelineDocument[];
  /** Consecutive changes with the same key (a drag, typing in one field) make one undo step. */
  lastKey?: string;
}

export type HistoryAction = { type: "apply"; change: Change; mergeKey?: string } | { type: "undo" } | { type: "redo" };

const LIMIT = 200;

export function historyReducer(state: History, action: HistoryAction): History {
  switch (action.type) {
    case "apply": {
      const next = applyChange(state.present, action.change);
      if (next === state.present) return state;
      if (action.mergeKey && action.mergeKey === state.lastKey) return { ...state, present: next };
      return { past: [...state.past, state.present].slice(-LIMIT), present: next, future: [], lastKey: action.mergeKey };
    }
    case "undo":
      if (state.past.length === 0) return state;
      return { past: state.past.slice(0, -1), present: state.past[state.past.length - 1], future: [state.present, ...state.future] };
    case "redo":
      if (state.future.length === 0) return state;
      return { past: [...state.past, state.present], present: state.future[0], future: state.future.slice(1) };
  }
}

/** A node id not yet used in the document: the kind followed by the first free number. */
export function freshId(doc: PipelineDocument, base: string, taken: Set<string> = new Set()): string {
  const used = new Set([...doc.nodes.map((n) => n.id), ...doc.edges.map((e) => e.id), ...taken]);
  for (let i = 1; ; i++) if (!used.has(`${base}${i}`)) return `${base}${i}`;
}

/** Copies of `ids` and the edges among them with fresh ids, shifted by `offset`, for paste. */
export function duplicate(doc: PipelineDocument, clip: { nodes: PipelineNode[]; edges: PipelineEdge[] }, offset = 40): Change {
  const taken = new Set<string>();
  const rename = new Map<string, string>();
  const nodes = clip.nodes.map((n) => {
    const id = freshId(doc, n.kind, taken);
    taken.add(id);
    rename.set(n.id, id);
    return { ...structuredClone(n), id, position: { x: n.position.x + offset, y: n.position.y + offset } };
  });
  const edges = clip.edges
    .filter((e) => rename.has(e.source) && rename.has(e.target))
    .map((e) => {
      const id = freshId(doc, "e", taken);
      taken.add(id);
      return { ...e, id, source: rename.get(e.source)!, target: rename.get(e.target)! };
    });
  return { type: "addNodes", nodes, edges };
}
