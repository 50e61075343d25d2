"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { PipelineSummary } from "@/server/pipelines/repository";

const when = (iso: string) => `${new Date(iso).toLocaleString("en-GB", { timeZone: "UTC" })} UTC`;

async function reason(res: Response): Promise<string> {
  const json = (await res.json().catch(() => null)) as { error?: string } | null;
  return json?.error ?? `HTTP ${res.status} ${res.statusText}`;
}

/** One pipeline: its name (a link, or a field while renaming), when it was edited and run, and its actions. */
function PipelineRow({ p, onError }: { p: PipelineSummary; onError: (message: string | null) => void }) {
  const router = useRouter();
  const [renaming, setRenaming] = useState(false);
  const [name, setName] = useState(p.name);
  const [busy, setBusy] = useState(false);
  const act = async (what: string, request: () => Promise<Response>, then?: (res: Response) => Promise<void>) => {
    setBusy(true);
    onError(null);
    try {
      const res = await request();
      if (!res.ok) return onError(`Could not ${what} “${p.name}”: ${await reason(res)}`);
      await then?.(res);
      router.refresh();
    } catch (err) {
      onError(`Could not ${what} “${p.name}”: ${(err as Error).message}`);
    } finally {
      setBusy(false);
    }
  };
  const rename = () =>
    act("rename", () => fetch(`/api/pipelines/${p.id}`, { method: "PATCH", headers: { "content-type": "application/json" }, body: JSON.stringify({ name }) }), async () => setRenaming(false));
  const duplicate = () => act("duplicate", () => fetch(`/api/pipelines/${p.id}/duplicate`, { method: "POST" }));
  const remove = () => {
    const runs = p.lastRun ? " Its runs stay on the Runs page, no longer linked to a pipeline." : "";
    if (!window.confirm(`Delete the pipeline “${p.name}” and its versions?${runs} This cannot be undone.`)) return;
    void act("delete", () => fetch(`/api/pipelines/${p.id}`, { method: "DELETE" }));
  };
  return (
    <li className="card pipeline-row" data-testid={`pipeline-${p.id}`}>
      {renaming ? (
        <form className="rename" onSubmit={(e) => { e.preventDefault(); void rename(); }}>
          <label htmlFor={`rename-${p.id}`} className="visually-hidden">New name for {p.name}</label>
          <input id={`rename-${p.id}`} value={name} onChange={(e) => setName(e.target.value)} autoFocus maxLength={200} />
          <button type="submit" className="button primary" disabled={busy}>Save</button>
          <button type="button" className="button" onClick={() => { setRenaming(false); setName(p.name); }}>Cancel</button>
        </form>
      ) : (
        <h3>
          <Link href={`/pipelines/${p.id}`}>{p.name}</Link>
        </h3>
      )}
      {p.description ? <p>{p.description}</p> : null}
      <div className="meta">
        <span>{p.nodeCount} nodes</span>
        <span>version {p.version}</span>
        <span>edited {when(p.updatedAt)}</span>
        <span data-testid="last-run">
          {p.lastRun ? <>last run <Link href={`/runs/${p.lastRun.id}`}>{p.lastRun.status}</Link>, {when(p.lastRun.startedAt)}</> : "never run"}
        </span>
      </div>
      <div className="row-actions">
        <button type="button" className="button" onClick={() => setRenaming(true)} disabled={busy || renaming} aria-label={`Rename ${p.name}`}>Rename</button>
        <button type="button" className="button" onClick={() => void duplicate()} disabled={busy} aria-label={`Duplicate ${p.name}`}>Duplicate</button>
        <button type="button" className="button danger" onClick={remove} disabled={busy} aria-label={`Delete ${p.name}`}>Delete</button>
      </div>
    </li>
  );
}

/** The pipelines of this installation, most recently edited first. */
export function PipelineList({ pipelines }: { pipelines: PipelineSummary[] }) {
  const [error, setError] = useState<string | null>(null);
  return (
    <section aria-labelledby="pipelines-title">
      <h2 id="pipelines-title" className="section-title">Your pipelines <span className="count">{pipelines.length}</span></h2>
      {error ? <p className="action-error" role="alert">{error}</p> : null}
      {pipelines.length === 0 ? (
        <p className="empty">No pipelines yet.</p>
      ) : (
        <ul className="card-list" data-testid="pipeline-list">
          {pipelines.map((p) => <PipelineRow key={p.id} p={p} onError={setError} />)}
        </ul>
      )}
    </section>
  );
}
