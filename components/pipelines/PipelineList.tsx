import Link from "next/link";
import type { PipelineSummary } from "@/server/pipelines/repository";

/** The pipelines of this installation, newest first. */
export function PipelineList({ pipelines }: { pipelines: PipelineSummary[] }) {
  if (pipelines.length === 0) {
    return <p className="empty">No pipelines yet.</p>;
  }
  return (
    <ul className="card-list" data-testid="pipeline-list">
      {pipelines.map((p) => (
        <li key={p.id} className="card">
          <h2>
            <Link href={`/pipelines/${p.id}`}>{p.name}</Link>
          </h2>
          {p.description ? <p>{p.description}</p> : null}
          <div className="meta">
            <span>{p.nodeCount} nodes</span>
            <span>version {p.version}</span>
            <span>updated {new Date(p.updatedAt).toLocaleString("en-GB", { timeZone: "UTC" })} UTC</span>
          </div>
        </li>
      ))}
    </ul>
  );
}
