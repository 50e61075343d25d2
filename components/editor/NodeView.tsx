"use client";
import { Handle, Position, type Node, type NodeProps } from "@xyflow/react";
import { memo, type ComponentType } from "react";
import { NODE_KINDS, nodeDefinition, type NodeKind } from "@/engine/pipeline/catalog";

export interface NodeData extends Record<string, unknown> {
  kind: string;
  label?: string;
  problem?: "error" | "warning";
  problemText?: string;
}
export type FlowNode = Node<NodeData>;

const portTop = (i: number, n: number) => `${((i + 1) / (n + 1)) * 100}%`;

/** One node on the canvas: label, kind, ports with their stream type, and its worst problem. */
function NodeViewImpl({ id, data, selected }: NodeProps<FlowNode>) {
  const def = nodeDefinition(data.kind);
  const inputs = def?.inputs ?? [];
  const outputs = def?.outputs ?? [];
  return (
    <div
      className={`flow-node cat-${(def?.category ?? "unknown").toLowerCase()}${selected ? " selected" : ""}${data.problem ? ` has-${data.problem}` : ""}`}
      data-testid={`node-${id}`}
      title={data.problemText ?? def?.doc}
    >
      {inputs.map((p, i) => (
        <Handle key={p.name} id={p.name} type="target" position={Position.Left} style={{ top: portTop(i, inputs.length) }} className={`port port-${p.type}`} data-testid={`handle-${id}-in-${p.name}`} title={`${p.name} (${p.type})`} />
      ))}
      <div className="flow-node-title">{data.label ?? def?.label ?? data.kind}</div>
      <div className="flow-node-kind">
        {id} · {data.kind}
      </div>
      {data.problem ? <div className={`flow-node-problem ${data.problem}`}><b>{data.problem === "error" ? "error" : "warning"}</b> {data.problemText}</div> : null}
      {inputs.length > 1 ? <div className="flow-node-ports in">{inputs.map((p) => <span key={p.name}>{p.name}</span>)}</div> : null}
      {outputs.length > 1 ? <div className="flow-node-ports out">{outputs.map((p) => <span key={p.name}>{p.label ?? p.name}</span>)}</div> : null}
      {outputs.map((p, i) => (
        <Handle key={p.name} id={p.name} type="source" position={Position.Right} style={{ top: portTop(i, outputs.length) }} className={`port port-${p.type}${p.deadLetter ? " port-dead" : ""}`} data-testid={`handle-${id}-out-${p.name}`} title={`${p.label ?? p.name} (${p.type === "same" ? "as input" : p.type})`} />
      ))}
    </div>
  );
}

export const NodeView = memo(NodeViewImpl);

/** Defined once at module scope: every kind of the catalog has its component (a type error otherwise). */
export const nodeTypes: Record<NodeKind, ComponentType<NodeProps<FlowNode>>> = Object.fromEntries(NODE_KINDS.map((k) => [k, NodeView])) as Record<NodeKind, typeof NodeView>;
