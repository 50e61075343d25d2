import Link from "next/link";
import { notFound } from "next/navigation";
import { RunDashboard } from "@/components/dashboard/RunDashboard";
import type { RunGraph } from "@/components/dashboard/types";
import { services } from "@/server/services";

export const dynamic = "force-dynamic";

/** The graph part of a stored run document, tolerant of documents the current schema no longer accepts. */
function graphOf(documentText: string): { name: string; graph: RunGraph | null; batchIntervalMs?: number } {
  try {
    const doc = JSON.parse(documentText) as { name?: string; settings?: { batchIntervalMs?: unknown } } & Partial<RunGraph>;
    const graph = Array.isArray(doc.nodes) && Array.isArray(doc.edges) ? { nodes: doc.nodes, edges: doc.edges } : null;
    const interval = doc.settings?.batchIntervalMs;
    return { name: doc.name ?? "Run", graph, batchIntervalMs: typeof interval === "number" ? interval : undefined };
  } catch {
    return { name: "Run", graph: null };
  }
}

export default async function RunPage({ params, searchParams }: { params: Promise<{ runId: string }>; searchParams: Promise<{ tail?: string | string[] }> }) {
  const { runId } = await params;
  const { tail } = await searchParams;
  const { db, runs } = services();
  const row = await db.run.findUnique({ where: { id: runId } });
  if (!row) notFound();
  const { name, graph, batchIntervalMs } = graphOf(row.document);
  return (
    <>
      <p className="meta">
        <Link href="/runs">← Runs</Link>
        {row.pipelineId && <Link href={`/pipelines/${row.pipelineId}`}>Pipeline</Link>}
      </p>
      <RunDashboard
        runId={runId}
        initialTail={typeof tail === "string" && tail ? tail : undefined}
        recovery={runs?.recovery(runId)}
        graph={graph && { nodes: graph.nodes.map(({ id, kind, label }) => ({ id, kind, label })), edges: graph.edges }}
        stored={{
          name,
          status: row.status,
          error: row.error,
          errorNodeId: row.errorNodeId,
          startedAt: row.startedAt.toISOString(),
          endedAt: row.endedAt?.toISOString() ?? null,
          batchIntervalMs,
        }}
      />
    </>
  );
}
