"use client";
import { memo } from "react";
import { nodeDefinition } from "@/engine/pipeline/catalog";
import type { Diagnostic } from "@/engine/pipeline/diagnostics";
import type { PipelineDocument, PipelineNode } from "@/engine/pipeline/document";
import type { Change } from "./changes";
import { ConfigForm } from "./ConfigForm";
import { RateControlSettingsForm } from "./RateControlSettings";

type Apply = (change: Change, mergeKey?: string) => void;

function SettingsForm({ doc, apply }: { doc: PipelineDocument; apply: Apply }) {
  const s = doc.settings;
  const num = (v: string) => (v === "" ? undefined : Number(v));
  return (
    <div className="config-form" data-testid="pipeline-settings">
      <h2>Pipeline</h2>
      <div className="field">
        <label htmlFor="p-name">name</label>
        <input id="p-name" value={doc.name} onChange={(e) => apply({ type: "updateInfo", name: e.target.value, description: doc.description }, "info")} />
      </div>
      <div className="field">
        <label htmlFor="p-desc">description</label>
        <textarea id="p-desc" rows={3} value={doc.description} onChange={(e) => apply({ type: "updateInfo", name: doc.name, description: e.target.value }, "info")} />
      </div>
      <div className="field">
        <label htmlFor="p-batch">batch interval</label>
        <span className="number-field">
          <input id="p-batch" type="number" value={s.batchIntervalMs} onChange={(e) => apply({ type: "updateSettings", settings: { ...s, batchIntervalMs: num(e.target.value) ?? 1000 } }, "batch")} />
          <span className="unit">ms</span>
        </span>
      </div>
      <div className="field">
        <label>
          <input type="checkbox" checked={s.checkpointing.enabled} onChange={(e) => apply({ type: "updateSettings", settings: { ...s, checkpointing: { ...s.checkpointing, enabled: e.target.checked } } })} /> checkpointing
        </label>
      </div>
      {s.checkpointing.enabled ? (
        <div className="field">
          <label htmlFor="p-cp">checkpoint interval (empty: Spark&apos;s default, a multiple of the slide ≥ 10 s)</label>
          <span className="number-field">
            <input id="p-cp" type="number" value={s.checkpointing.intervalMs ?? ""} onChange={(e) => apply({ type: "updateSettings", settings: { ...s, checkpointing: { ...s.checkpointing, intervalMs: num(e.target.value) } } }, "cp")} />
            <span className="unit">ms</span>
          </span>
        </div>
      ) : null}
      <div className="field">
        <label htmlFor="p-jobs">concurrent jobs</label>
        <input id="p-jobs" type="number" min={1} value={s.concurrentJobs} onChange={(e) => apply({ type: "updateSettings", settings: { ...s, concurrentJobs: num(e.target.value) ?? 1 } }, "jobs")} />
      </div>
      <div className="field">
        <label htmlFor="p-remember">remember (optional)</label>
        <span className="number-field">
          <input id="p-remember" type="number" value={s.rememberMs ?? ""} onChange={(e) => apply({ type: "updateSettings", settings: { ...s, rememberMs: num(e.target.value) } }, "remember")} />
          <span className="unit">ms</span>
        </span>
      </div>
      <RateControlSettingsForm settings={s} onChange={(settings, key) => apply({ type: "updateSettings", settings }, key)} />
    </div>
  );
}

/** The selected node's form, or the pipeline's settings when nothing is selected. */
function InspectorImpl({ doc, node, diagnostics, apply }: { doc: PipelineDocument; node: PipelineNode | undefined; diagnostics: Diagnostic[]; apply: Apply }) {
  if (!node) return <aside className="inspector"><SettingsForm doc={doc} apply={apply} /></aside>;
  const def = nodeDefinition(node.kind);
  const mine = diagnostics.filter((d) => d.nodeId === node.id);
  return (
    <aside className="inspector" data-testid="inspector">
      <h2>{def?.label ?? node.kind}</h2>
      <p className="muted small">
        <code>{node.id}</code> · {def?.category}
      </p>
      <p className="doc">{def?.doc}</p>
      <div className="field">
        <label htmlFor="n-label">label</label>
        <input id="n-label" value={node.label ?? ""} placeholder={def?.label} onChange={(e) => apply({ type: "renameNode", id: node.id, label: e.target.value || undefined }, `label:${node.id}`)} />
      </div>
      {mine.filter((d) => !d.field).map((d, i) => <div key={i} className={`field-error ${d.severity}`}>{d.message}</div>)}
      <ConfigForm
        key={node.id}
        nodeId={node.id}
        kind={node.kind}
        config={node.config}
        diagnostics={mine}
        onChange={(field, value) => {
          const config = { ...node.config };
          if (value === undefined) delete config[field];
          else config[field] = value;
          apply({ type: "updateConfig", id: node.id, config }, `config:${node.id}:${field}`);
        }}
      />
    </aside>
  );
}
export const Inspector = memo(InspectorImpl);
