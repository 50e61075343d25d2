import Link from "next/link";
import { notFound } from "next/navigation";
import { decodeStoredDocument } from "@/server/pipelines/repository";
import { services } from "@/server/services";

export const dynamic = "force-dynamic";

export default async function PipelinePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const row = await services().db.pipeline.findUnique({ where: { id } });
  if (!row) notFound();
  const doc = decodeStoredDocument(row.id, row.document);
  const byId = new Map(doc.nodes.map((n) => [n.id, n]));
  return (
    <>
      <p className="meta">
        <Link href="/">← Pipelines</Link>
      </p>
      <h1>{doc.name}</h1>
      <p className="lead">{doc.description}</p>
      <p className="meta">
        <span>batch interval {doc.settings.batchIntervalMs} ms</span>
        <span>checkpointing {doc.settings.checkpointing.enabled ? "on" : "off"}</span>
        <span>concurrent jobs {doc.settings.concurrentJobs}</span>
      </p>
      <table className="plain" data-testid="pipeline-streams">
        <thead>
          <tr>
            <th>Node</th>
            <th>Kind</th>
            <th>Feeds</th>
          </tr>
        </thead>
        <tbody>
          {doc.nodes.map((node) => (
            <tr key={node.id}>
              <td>
                <code>{node.id}</code>
              </td>
              <td>{node.kind}</td>
              <td>
                {doc.edges
                  .filter((e) => e.source === node.id)
                  .map((e) => byId.get(e.target)?.id ?? e.target)
                  .join(", ") || "—"}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
