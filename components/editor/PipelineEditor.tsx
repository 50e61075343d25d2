"use client";
import {
  Background, Controls, MarkerType, MiniMap, Panel, ReactFlow, ReactFlowProvider, useReactFlow,
  type Connection, type Edge, type EdgeChange, type FinalConnectionState, type NodeChange,
} from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from "react";
import { defaultConfig, nodeDefinition, type NodeKind } from "@/engine/pipeline/catalog";
import { diagnose, hasErrors } from "@/engine/pipeline/diagnostics";
import { parsePipelineDocument, type PipelineDocument, type PipelineEdge, type PipelineNode } from "@/engine/pipeline/document";
import { duplicate, freshId, historyReducer, type Change } from "./changes";
import { connectionProblem } from "./connections";
import { Inspector } from "./Inspector";
import { nodeTypes, type FlowNode } from "./NodeView";
import { DRAG_MIME, Palette } from "./Palette";
import { ProblemsList } from "./ProblemsList";
import { RunConsole } from "./RunConsole";
import { useAutoSave } from "./useAutoSave";
import { useRun } from "./useRun";
import { Versions } from "./Versions";
import { useTheme } from "@/components/ui/theme";
import { usePanels } from "./usePanels";
import { useCassandraDiagnostics } from "./useCassandraDiagnostics";

// Fitting never zooms out so far that node titles become unreadable (they scroll instead).
const FIT = { padding: 0.2, maxZoom: 1, minZoom: 0.6 };
// Wires point from producer to consumer.
const EDGE_DEFAULTS = { markerEnd: { type: MarkerType.ArrowClosed, width: 18, height: 18 } };

const isTyping = (t: EventTarget | null) => t instanceof HTMLElement && (t.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(t.tagName) || !!t.closest(".cm-editor"));

interface EditorProps {
  pipelineId: string;
  initial: PipelineDocument;
  initialVersion: number;
  /** The initial document is the autosaved working copy, not yet a version. */
  initialIsDraft?: boolean;
  initialVersionLabel?: string;
}

function Editor({ pipelineId, initial, initialVersion, initialIsDraft = false, initialVersionLabel }: EditorProps) {
  const [history, dispatch] = useReducer(historyReducer, { past: [], present: initial, future: [] });
  const doc = history.present;
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [selectedEdges, setSelectedEdges] = useState<Set<string>>(new Set());
  const [measured, setMeasured] = useState<Record<string, { width: number; height: number }>>({});
  const [notice, setNotice] = useState<string | null>(null);
  const clipboard = useRef<{ nodes: PipelineNode[]; edges: PipelineEdge[] } | null>(null);
  const refusal = useRef<string | null>(null);
  const dragSeq = useRef(0);
  const flow = useReactFlow();
  const theme = useTheme();
  const panels = usePanels();
  const importInput = useRef<HTMLInputElement>(null);
  // Fit the view on open only when there is something to fit: on an empty canvas the first
  // dropped node would otherwise be pulled to the centre.
  const [fitOnOpen] = useState(initial.nodes.length > 0);
  const cassandraDiagnostics = useCassandraDiagnostics(doc);
  const diagnostics = useMemo(() => [...diagnose(doc), ...cassandraDiagnostics], [doc, cassandraDiagnostics]);
  const { state: saveState, saveNow, markSaved } = useAutoSave(pipelineId, doc, initialVersion, { canVersion: !hasErrors(diagnostics), initialIsDraft });
  const run = useRun(pipelineId, saveNow);
  const [version, setVersion] = useState(initialVersion);
  useEffect(() => {
    if (saveState.kind === "saved") setVersion(saveState.version);
  }, [saveState]);

  const apply = useCallback((change: Change, mergeKey?: string) => dispatch({ type: "apply", change, mergeKey }), []);
  const worst = useMemo(() => {
    const map = new Map<string, { problem: "error" | "warning"; text: string }>();
    for (const d of diagnostics) {
      if (!d.nodeId) continue;
      const prev = map.get(d.nodeId);
      if (!prev || (prev.problem === "warning" && d.severity === "error")) map.set(d.nodeId, { problem: d.severity, text: d.message });
    }
    return map;
  }, [diagnostics]);

  const nodes: FlowNode[] = useMemo(
    () => doc.nodes.map((n) => ({
      id: n.id,
      type: n.kind,
      position: n.position,
      data: { kind: n.kind, label: n.label, problem: worst.get(n.id)?.problem, problemText: worst.get(n.id)?.text },
      selected: selected.has(n.id),
      measured: measured[n.id],
    })),
    [doc.nodes, worst, selected, measured],
  );
  // While a run is live, each wire is labelled with the records per batch of its source stream.
  const wires = run.wires;
  const edges: Edge[] = useMemo(
    () => doc.edges.map((e) => {
      const count = wires[`${e.source}:${e.sourcePort}`];
      return {
        id: e.id, source: e.source, target: e.target, sourceHandle: e.sourcePort, targetHandle: e.targetPort,
        selected: selectedEdges.has(e.id),
        className: e.sourcePort === "deadLetter" ? "edge-dead" : undefined,
        label: count === undefined ? undefined : `${count.toLocaleString("en-US")} / batch`,
        labelBgPadding: [4, 2] as [number, number],
      };
    }),
    [doc.edges, selectedEdges, wires],
  );

  const onNodesChange = useCallback((changes: NodeChange<FlowNode>[]) => {
    const moves: { id: string; position: { x: number; y: number } }[] = [];
    const dims: Record<string, { width: number; height: number }> = {};
    let selection: Set<string> | null = null;
    for (const c of changes) {
      if (c.type === "position" && c.position) moves.push({ id: c.id, position: c.position });
      // Removals arrive through onDelete, nodes and wires together, as one undo step.
      else if (c.type === "dimensions" && c.dimensions) dims[c.id] = c.dimensions;
      else if (c.type === "select") {
        selection ??= new Set(selected);
        if (c.selected) selection.add(c.id);
        else selection.delete(c.id);
      }
    }
    if (moves.length) apply({ type: "moveNodes", moves }, `move:${dragSeq.current}`);
    if (Object.keys(dims).length) setMeasured((m) => ({ ...m, ...dims }));
    if (selection) setSelected(selection);
  }, [apply, selected]);

  const onEdgesChange = useCallback((changes: EdgeChange[]) => {
    const sel = changes.filter((c) => c.type === "select");
    if (sel.length) {
      setSelectedEdges((prev) => {
        const next = new Set(prev);
        for (const c of sel) {
          if (c.type !== "select") continue;
          if (c.selected) next.add(c.id);
          else next.delete(c.id);
        }
        return next;
      });
    }
  }, []);
  // React Flow reports a deletion as separate node and edge changes; here it is one change.
  const onDelete = useCallback(({ nodes: gone, edges: cut }: { nodes: FlowNode[]; edges: Edge[] }) => {
    apply({ type: "remove", nodeIds: gone.map((n) => n.id), edgeIds: cut.map((e) => e.id) });
    if (gone.length) setSelected((s) => new Set([...s].filter((id) => !gone.some((n) => n.id === id))));
    if (cut.length) setSelectedEdges((s) => new Set([...s].filter((id) => !cut.some((e) => e.id === id))));
  }, [apply]);

  const asWire = (c: Connection | Edge) => ({ source: c.source, sourcePort: c.sourceHandle ?? "out", target: c.target, targetPort: c.targetHandle ?? "in" });
  const isValidConnection = useCallback((c: Connection | Edge) => {
    refusal.current = connectionProblem(doc, asWire(c));
    return refusal.current === null;
  }, [doc]);
  const onConnect = useCallback((c: Connection) => {
    const wire = asWire(c);
    const problem = connectionProblem(doc, wire);
    if (problem) return setNotice(`Connection refused: ${problem}`);
    apply({ type: "addEdge", edge: { id: freshId(doc, "e"), ...wire } });
    setNotice(null);
  }, [apply, doc]);
  const onConnectEnd = useCallback((_e: MouseEvent | TouchEvent, state: FinalConnectionState) => {
    if (state.toHandle && !state.isValid && refusal.current) setNotice(`Connection refused: ${refusal.current}`);
  }, []);

  const canvasRef = useRef<HTMLDivElement>(null);
  /** Where a node added without a mouse goes: right of the selected node, else the canvas's centre. */
  const insertionPoint = useCallback(() => {
    const anchor = selected.size === 1 ? doc.nodes.find((n) => selected.has(n.id)) : undefined;
    if (anchor) return { x: anchor.position.x + (measured[anchor.id]?.width ?? 170) + 60, y: anchor.position.y };
    const box = canvasRef.current?.getBoundingClientRect();
    const centre = box ? { x: box.left + box.width / 2, y: box.top + box.height / 2 } : { x: window.innerWidth / 2, y: window.innerHeight / 2 };
    const at = flow.screenToFlowPosition(centre);
    return { x: at.x - 80, y: at.y - 20 };
  }, [selected, doc.nodes, measured, flow]);

  const addNode = useCallback((kind: NodeKind, position?: { x: number; y: number }) => {
    const id = freshId(doc, kind);
    const at = position ?? insertionPoint();
    apply({ type: "addNodes", nodes: [{ id, kind, position: at, config: defaultConfig(kind) }] });
    setSelected(new Set([id]));
  }, [apply, doc, insertionPoint]);

  const onDrop = useCallback((e: React.DragEvent) => {
    e.preventDefault();
    const kind = e.dataTransfer.getData(DRAG_MIME);
    if (!nodeDefinition(kind)) return;
    addNode(kind as NodeKind, flow.screenToFlowPosition({ x: e.clientX - 80, y: e.clientY - 20 }));
  }, [addNode, flow]);

  const copy = useCallback(() => {
    const nodesSel = doc.nodes.filter((n) => selected.has(n.id));
    if (nodesSel.length === 0) return;
    clipboard.current = { nodes: structuredClone(nodesSel), edges: doc.edges.filter((e) => selected.has(e.source) && selected.has(e.target)) };
    setNotice(`Copied ${nodesSel.length} node${nodesSel.length > 1 ? "s" : ""}`);
  }, [doc, selected]);
  const paste = useCallback(() => {
    if (!clipboard.current) return;
    const change = duplicate(doc, clipboard.current);
    apply(change);
    if (change.type === "addNodes") setSelected(new Set(change.nodes.map((n) => n.id)));
  }, [apply, doc]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (isTyping(e.target)) return;
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      if (mod && key === "z" && !e.shiftKey) dispatch({ type: "undo" });
      else if (mod && (key === "y" || (key === "z" && e.shiftKey))) dispatch({ type: "redo" });
      else if (mod && key === "c") copy();
      else if (mod && key === "v") paste();
      else if (mod && key === "a") setSelected(new Set(doc.nodes.map((n) => n.id)));
      else if (!mod && key === "f") void flow.fitView(FIT);
      else return;
      e.preventDefault();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [copy, paste, doc.nodes, flow]);

  const exportJson = () => {
    const blob = new Blob([JSON.stringify(doc, null, 2)], { type: "application/json" });
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = `${doc.name.replace(/[^\w.-]+/g, "-") || "pipeline"}.json`;
    a.click();
    URL.revokeObjectURL(a.href);
  };
  const importJson = async (file: File) => {
    let raw: unknown;
    try {
      raw = JSON.parse(await file.text());
    } catch (err) {
      return setNotice(`Import refused: ${file.name} is not JSON (${(err as Error).message})`);
    }
    const parsed = parsePipelineDocument(raw);
    if (!parsed.ok) return setNotice(`Import refused: ${parsed.issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`);
    apply({ type: "replace", document: parsed.document });
    setSelected(new Set());
    setNotice(`Imported ${file.name}`);
    setTimeout(() => void flow.fitView(FIT), 50);
  };

  const selectedNode = selected.size === 1 ? doc.nodes.find((n) => selected.has(n.id)) : undefined;
  const errorCount = diagnostics.filter((d) => d.severity === "error").length;
  const live = run.status === "running" || run.status === "paused" || run.status === "starting" || run.status === "waiting" || run.status === "recovering";
  const startRun = () => {
    if (hasErrors(diagnostics)) return setNotice(`Run refused: fix the ${errorCount} error${errorCount > 1 ? "s" : ""} in Problems first`);
    setNotice(null);
    void run.start();
  };

  return (
    <div className={`editor${panels.sideCollapsed ? " side-collapsed" : ""}${panels.bottomCollapsed ? " bottom-collapsed" : ""}`} data-testid="editor">
      <div className="editor-toolbar" role="toolbar">
        <h1 className="editor-title">{doc.name}</h1>
        <a className="button" href="/pipelines/new" title="Start a new pipeline from a template">New</a>
        <button type="button" onClick={startRun} disabled={live} data-testid="run" className="primary">▶ Run</button>
        <button type="button" onClick={() => void run.control(run.status === "paused" ? "resume" : "pause")} disabled={!live}>{run.status === "paused" ? "Resume" : "Pause"}</button>
        <button type="button" onClick={() => void run.control("step")} disabled={run.status !== "paused"} title="Run one batch while paused">Step</button>
        <button type="button" onClick={() => void run.control("stop")} disabled={!live} data-testid="stop">■ Stop</button>
        {run.runId && <a className="button" href={`/runs/${run.runId}`} target="_blank" rel="noreferrer" data-testid="run-page-link" title="The run's live dashboard">Dashboard ↗</a>}
        <span className="sep" />
        <button type="button" onClick={() => dispatch({ type: "undo" })} disabled={history.past.length === 0} title="Undo (Ctrl+Z)">Undo</button>
        <button type="button" onClick={() => dispatch({ type: "redo" })} disabled={history.future.length === 0} title="Redo (Ctrl+Shift+Z)">Redo</button>
        <button type="button" onClick={() => void flow.fitView(FIT)} title="Fit view (F)">Fit</button>
        <button type="button" onClick={exportJson} data-testid="export">Export</button>
        {/* A real button, so Tab reaches it; the file input itself stays hidden. */}
        <button type="button" onClick={() => importInput.current?.click()} data-testid="import-button">Import</button>
        <input ref={importInput} type="file" accept=".json,application/json" hidden data-testid="import" onChange={(e) => { const f = e.target.files?.[0]; if (f) void importJson(f); e.target.value = ""; }} />

        <span className={`save-state ${saveState.kind}`} data-testid="save-state">
          {saveState.kind === "saved" ? (saveState.draft ? `Saved · edits since v${saveState.version}` : `Saved · v${saveState.version}`) : saveState.kind === "saving" ? "Saving…" : saveState.kind === "dirty" ? "Unsaved changes" : `Not saved: ${saveState.message}`}
        </span>
      </div>
      {notice || run.message ? <div className="editor-notice" data-testid="notice" role="status">{notice ?? run.message}</div> : null}
      <div className="editor-body">
        {panels.sideCollapsed ? null : <Palette onAdd={addNode} />}
        <div className="canvas" ref={canvasRef} onDragOver={(e) => { e.preventDefault(); e.dataTransfer.dropEffect = "move"; }} onDrop={onDrop} data-testid="canvas">
          <ReactFlow
            nodes={nodes}
            edges={edges}
            nodeTypes={nodeTypes}
            onNodesChange={onNodesChange}
            onEdgesChange={onEdgesChange}
            onDelete={onDelete}
            onConnect={onConnect}
            onConnectEnd={onConnectEnd}
            isValidConnection={isValidConnection}
            onNodeDragStart={() => { dragSeq.current += 1; }}
            onPaneClick={() => { setSelected(new Set()); setSelectedEdges(new Set()); }}
            onEdgeDoubleClick={(_e, edge) => { if (run.runId) window.open(`/runs/${run.runId}?tail=${encodeURIComponent(`${edge.source}:${edge.sourceHandle ?? "out"}`)}`, "_blank"); }}
            deleteKeyCode={["Backspace", "Delete"]}
            fitView={fitOnOpen}
            fitViewOptions={FIT}
            colorMode={theme}
            defaultEdgeOptions={EDGE_DEFAULTS}
            proOptions={{ hideAttribution: true }}
          >
            <Background />
            <Controls />
            <Panel position="top-right" className="view-toggles">
              <button type="button" onClick={panels.toggleSide} aria-pressed={!panels.sideCollapsed} data-testid="toggle-panels" title="Show or hide the palette and inspector">Side panels</button>
              <button type="button" onClick={panels.toggleBottom} aria-pressed={!panels.bottomCollapsed} data-testid="toggle-bottom" title="Show or hide problems, console and history">Bottom panel</button>
              <button type="button" onClick={panels.toggleMinimap} aria-pressed={panels.minimap} data-testid="toggle-minimap" title="Show or hide the minimap">Minimap</button>
            </Panel>
            {panels.minimap ? <MiniMap pannable zoomable style={{ width: 140, height: 90 }} ariaLabel="Minimap of the pipeline" /> : null}
          </ReactFlow>
          {doc.nodes.length === 0 ? (
            <div className="drop-hint" data-testid="drop-hint">
              Drag a node here from the palette, or focus one in the palette and press Enter.
            </div>
          ) : null}
        </div>
        {panels.sideCollapsed ? null : <Inspector doc={doc} node={selectedNode} diagnostics={diagnostics} apply={apply} />}
      </div>
      <div className="editor-bottom" hidden={panels.bottomCollapsed}>
        <ProblemsList diagnostics={run.refused ?? diagnostics} onSelect={(id) => setSelected(new Set([id]))} />
        <RunConsole status={run.status} runId={run.runId} printed={run.printed} />
        <div>
          <Versions pipelineId={pipelineId} currentVersion={version} current={doc} initialLabel={initialVersionLabel} keepVersion={saveNow} canKeep={!hasErrors(diagnostics)} onRestored={(d, v) => { markSaved(d, v); apply({ type: "replace", document: d }); setVersion(v); setNotice(`Restored; now version ${v}`); }} />
          <section className="outline">
            <h3>Streams</h3>
            <table className="plain small" data-testid="pipeline-streams">
              <tbody>
                {doc.nodes.map((n) => (
                  <tr key={n.id}><td><code>{n.id}</code></td><td>{n.kind}</td><td>{doc.edges.filter((e) => e.source === n.id).map((e) => e.target).join(", ") || "—"}</td></tr>
                ))}
              </tbody>
            </table>
          </section>
        </div>
      </div>
    </div>
  );
}

/** The pipeline editor: palette, React Flow canvas, inspector, problems, run console, history. */
export function PipelineEditor(props: EditorProps) {
  return (
    <ReactFlowProvider>
      <Editor {...props} />
    </ReactFlowProvider>
  );
}
