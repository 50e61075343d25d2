"use client";
import { useCallback, useEffect, useState } from "react";
import type { PipelineDocument } from "@/engine/pipeline/document";

interface VersionSummary { version: number; createdAt: string; name: string; nodeCount: number }

/** The kept versions of the pipeline; Restore makes one current (the current one is kept too). */
export function Versions({ pipelineId, currentVersion, onRestored }: { pipelineId: string; currentVersion: number; onRestored: (doc: PipelineDocument, version: number) => void }) {
  const [versions, setVersions] = useState<VersionSummary[]>([]);
  const [error, setError] = useState<string | null>(null);
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
    onRestored(json.document, json.version ?? 0);
  };
  return (
    <section className="versions" data-testid="versions">
      <h3>History <span className="count">current: version {currentVersion}</span></h3>
      {error ? <div className="field-error">{error}</div> : null}
      {versions.length === 0 ? <p className="muted small">No earlier versions yet: every save keeps the previous one.</p> : null}
      <ul>
        {versions.slice(0, 30).map((v) => (
          <li key={v.version}>
            <span>v{v.version} · {v.nodeCount} nodes · {new Date(v.createdAt).toLocaleTimeString("en-GB")}</span>
            <button type="button" onClick={() => void restore(v.version)}>Restore</button>
          </li>
        ))}
      </ul>
    </section>
  );
}
