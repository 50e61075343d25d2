"use client";
import {
  Background, Controls, MiniMap, ReactFlow, ReactFlowProvider, useReactFlow,
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

const isTyping = (t: EventTarget | null) => t instanceof HTMLElement && (t.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(t.tagName) || !!t.closest(".cm-editor"));

function Editor({ pipelineId, initial, initialVersion }: { pipelineId: string; initial: PipelineDocument; initialVersion: number }) {
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
  const { state: saveState, saveNow, markSaved } = useAutoSave(pipelineId, doc, initialVersion);
  const run = useRun(pipelineId, saveNow);
  const [version, setVersion] = useState(initialVersion);
  useEffect(() => {
    if (saveState.kind === "saved") setVersion(saveState.version);
  }, [saveState]);

  const apply = useCallback((change: Change, mergeKey?: string) => dispatch({ type: "apply", change, mergeKey }), []);
  const diagnostics = useMemo(() => diagnose(doc), [doc]);
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
    const removed: string[] = [];
    const dims: Record<string, { width: number; height: number }> = {};
    let selection: Set<string> | null = null;
    for (const c of changes) {
      if (c.type === "position" && c.position) moves.push({ id: c.id, position: c.position });
      else if (c.type === "remove") removed.push(c.id);
      else if (c.type === "dimensions" && c.dimensions) dims[c.id] = c.dimensions;
      else if (c.type === "select") {
        selection ??= new Set(selected);
        if (c.selected) selection.add(c.id);
        else selection.delete(c.id);
      }
    }
    if (moves.length) apply({ type: "moveNodes", moves }, `move:${dragSeq.current}`);
    if (removed.length) apply({ type: "removeNodes", ids: removed });
    if (Object.keys(dims).length) setMeasured((m) => ({ ...m, ...dims }));
    if (selection) setSelected(selection);
  }, [apply, selected]);

  const onEdgesChange = useCallback((changes: EdgeChange[]) => {
    const removed = changes.filter((c) => c.type === "remove").map((c) => c.id);
    if (removed.length) apply({ type: "removeEdges", ids: removed });
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

  const addNode = useCallback((kind: NodeKind, position?: { x: number; y: number }) => {
    const id = freshId(doc, kind);
    const at = position ?? flow.screenToFlowPosition({ x: window.innerWidth / 2, y: window.innerHeight / 2 });
    apply({ type: "addNodes", nodes: [{ id, kind, position: at, config: defaultConfig(kind) }] });
    setSelected(new Set([id]));
  }, [apply, doc, flow]);

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
      else if (!mod && key === "f") void flow.fitView({ padding: 0.2, maxZoom: 1 });
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
    setTimeout(() => void flow.fitView({ padding: 0.2, maxZoom: 1 }), 50);
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
    <div className="editor" data-testid="editor">
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
        <button type="button" onClick={() => void flow.fitView({ padding: 0.2, maxZoom: 1 })} title="Fit view (F)">Fit</button>
        <button type="button" onClick={exportJson} data-testid="export">Export</button>
        <label className="button">
          Import
          <input type="file" accept=".json,application/json" hidden data-testid="import" onChange={(e) => { const f = e.target.files?.[0]; if (f) void importJson(f); e.target.value = ""; }} />
        </label>
        <span className={`save-state ${saveState.kind}`} data-testid="save-state">
          {saveState.kind === "saved" ? `Saved · v${saveState.version}` : saveState.kind === "saving" ? "Saving…" : saveState.kind === "dirty" ? "Unsaved changes" : `Not saved: ${saveState.message}`}
        </span>
      </div>
      {notice || run.message ? <div className="editor-notice" data-testid="notice" role="status">{notice ?? run.message}</div> : null}
      <div className="editor-body">
        <Palette onAdd={addNode} />
        <div className="canvas" onDragOver={(e) => { e.preventDefault(); e.dataTransfer.dropEffect = "move"; }} onDrop={onDrop} data-testid="canvas">
          <ReactFlow
            nodes={nodes}
            edges={edges}
            nodeTypes={nodeTypes}
            onNodesChange={onNodesChange}
            onEdgesChange={onEdgesChange}
            onConnect={onConnect}
            onConnectEnd={onConnectEnd}
            isValidConnection={isValidConnection}
            onNodeDragStart={() => { dragSeq.current += 1; }}
            onPaneClick={() => { setSelected(new Set()); setSelectedEdges(new Set()); }}
            onEdgeDoubleClick={(_e, edge) => { if (run.runId) window.open(`/runs/${run.runId}?tail=${encodeURIComponent(`${edge.source}:${edge.sourceHandle ?? "out"}`)}`, "_blank"); }}
            deleteKeyCode={["Backspace", "Delete"]}
            fitView
            fitViewOptions={{ padding: 0.2, maxZoom: 1 }}
            proOptions={{ hideAttribution: true }}
          >
            <Background />
            <Controls />
            <MiniMap pannable zoomable />
          </ReactFlow>
        </div>
        <Inspector doc={doc} node={selectedNode} diagnostics={diagnostics} apply={apply} />
      </div>
      <div className="editor-bottom">
        <ProblemsList diagnostics={run.refused ?? diagnostics} onSelect={(id) => setSelected(new Set([id]))} />
        <RunConsole status={run.status} runId={run.runId} printed={run.printed} />
        <div>
          <Versions pipelineId={pipelineId} currentVersion={version} onRestored={(d, v) => { markSaved(d, v); apply({ type: "replace", document: d }); setVersion(v); setNotice(`Restored; now version ${v}`); }} />
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
export function PipelineEditor(props: { pipelineId: string; initial: PipelineDocument; initialVersion: number }) {
  return (
    <ReactFlowProvider>
      <Editor {...props} />
    </ReactFlowProvider>
  );
}
