"use client";
import { useCallback, useEffect, useState } from "react";
import type { PipelineDocument } from "@/engine/pipeline/document";
import { diffDocuments, isEmptyDiff, type DocumentDiff } from "@/engine/pipeline/documentDiff";

interface VersionSummary { version: number; createdAt: string; name: string; nodeCount: number; label: string | null }

function DiffView({ diff }: { diff: DocumentDiff }) {
  if (isEmptyDiff(diff)) return <p className="muted small">Same as the current document.</p>;
  const rows: [string, string[]][] = [
    ["nodes added", diff.nodesAdded.map((n) => `${n.id} (${n.kind})`)],
    ["nodes removed", diff.nodesRemoved.map((n) => `${n.id} (${n.kind})`)],
    ["nodes changed", diff.nodesChanged.map((n) => `${n.id}: ${n.fields.join(", ")}`)],
    ["nodes moved", diff.nodesMoved],
    ["wires added", diff.wiresAdded],
    ["wires removed", diff.wiresRemoved],
    ["pipeline", diff.pipelineChanged],
  ];
  return (
    <dl className="version-diff" data-testid="version-diff">
      {rows.filter(([, items]) => items.length > 0).map(([what, items]) => (
        <div key={what}>
          <dt>{what}</dt>
          <dd>{items.join("; ")}</dd>
        </div>
      ))}
    </dl>
  );
}

/**
 * The kept versions of the pipeline. A version is kept after a pause in editing or at Run (see
 * useAutoSave); each can be named, compared with the current document, and restored.
 */
export function Versions(props: {
  pipelineId: string;
  currentVersion: number;
  current: PipelineDocument;
  initialLabel?: string;
  keepVersion: () => Promise<boolean>;
  canKeep: boolean;
  onRestored: (doc: PipelineDocument, version: number) => void;
}) {
  const { pipelineId, currentVersion, current, initialLabel, keepVersion, canKeep, onRestored } = props;
  const [versions, setVersions] = useState<VersionSummary[]>([]);
  const [currentLabel, setCurrentLabel] = useState<string | null>(initialLabel ?? null);
  const [error, setError] = useState<string | null>(null);
  const [compared, setCompared] = useState<{ version: number; document: PipelineDocument } | null>(null);
  const load = useCallback(async () => {
    const res = await fetch(`/api/pipelines/${pipelineId}/versions`);
    if (res.ok) setVersions(((await res.json()) as { versions: VersionSummary[] }).versions);
  }, [pipelineId]);
  useEffect(() => {
    void load();
  }, [load, currentVersion]);
  const restore = async (version: number) => {
    const res = await fetch(`/api/pipelines/${pipelineId}/versions`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ version }) });
    const json = (await res.json()) as { document?: PipelineDocument; version?: number; error?: string };
    if (!res.ok || !json.document) return setError(json.error ?? res.statusText);
    setCompared(null);
    setCurrentLabel(null);
    onRestored(json.document, json.version ?? 0);
  };
  const compare = async (version: number) => {
    if (compared?.version === version) return setCompared(null);
    const res = await fetch(`/api/pipelines/${pipelineId}/versions/${version}`);
    const json = (await res.json()) as { document?: PipelineDocument; error?: string };
    if (!res.ok || !json.document) return setError(json.error ?? res.statusText);
    setCompared({ version, document: json.document });
  };
  const name = async (version: number, old: string | null) => {
    const label = window.prompt(`Name version ${version}`, old ?? "");
    if (label === null) return;
    const res = await fetch(`/api/pipelines/${pipelineId}/versions/${version}`, { method: "PATCH", headers: { "content-type": "application/json" }, body: JSON.stringify({ label }) });
    const json = (await res.json()) as { label?: string | null; error?: string };
    if (!res.ok) return setError(json.error ?? res.statusText);
    setError(null);
    if (version === currentVersion) setCurrentLabel(json.label ?? null);
    else void load();
  };
  const keepAndName = async () => {
    if (!(await keepVersion())) return setError("the edits could not be kept as a version");
    setError(null);
  };
  return (
    <section className="versions" data-testid="versions">
      <h3>History <span className="count">current: version {currentVersion}{currentLabel ? ` “${currentLabel}”` : ""}</span></h3>
      {error ? <div className="field-error" role="alert">{error}</div> : null}
      <div className="version-actions">
        <button type="button" onClick={() => void keepAndName()} disabled={!canKeep} title={canKeep ? "Keep the edits as a version now" : "A document with errors is not kept as a version"} data-testid="keep-version">Keep version</button>
        <button type="button" onClick={() => void name(currentVersion, currentLabel)} data-testid="name-current">Name v{currentVersion}</button>
      </div>
      {versions.length === 0 ? <p className="muted small">No earlier versions yet: a version is kept after a pause in editing, and at each Run.</p> : null}
      <ul>
        {versions.slice(0, 30).map((v) => (
          <li key={v.version} data-testid={`version-${v.version}`}>
            <span>
              v{v.version}{v.label ? <b> “{v.label}”</b> : null} · {v.nodeCount} nodes · {new Date(v.createdAt).toLocaleTimeString("en-GB")}
            </span>
            <span className="version-buttons">
              <button type="button" onClick={() => void compare(v.version)} aria-expanded={compared?.version === v.version}>Diff</button>
              <button type="button" onClick={() => void name(v.version, v.label)} aria-label={`Name version ${v.version}`}>Name</button>
              <button type="button" onClick={() => void restore(v.version)}>Restore</button>
            </span>
            {compared?.version === v.version ? (
              <div className="version-diff-box">
                <p className="small">From v{v.version} to the current document:</p>
                <DiffView diff={diffDocuments(compared.document, current)} />
              </div>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
