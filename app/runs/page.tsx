import Link from "next/link";
import { services } from "@/server/services";

export const dynamic = "force-dynamic";

/** Recent runs: those the server hosts now first, then the ones the database remembers. */
export default async function RunsPage() {
  const { db, runs } = services();
  const live = new Map(runs.list().map((r) => [r.runId, r]));
  const rows = await db.run.findMany({ orderBy: { startedAt: "desc" }, take: 50, include: { pipeline: { select: { name: true } } } });
  // What each run raised, so that runs with possible frauds or unparsable input stand out.
  const ids = rows.map((r) => r.id);
  const [flags, deadLetters] = await Promise.all([
    db.flag.groupBy({ by: ["runId"], where: { runId: { in: ids } }, _count: { _all: true } }),
    db.deadLetter.groupBy({ by: ["runId"], where: { runId: { in: ids } }, _count: { _all: true } }),
  ]);
  const flagCount = new Map(flags.map((f) => [f.runId, f._count._all]));
  const deadCount = new Map(deadLetters.map((d) => [d.runId, d._count._all]));
  return (
    <>
      <h1>Runs</h1>
      <p className="lead">Runs of this installation, newest first. Open one to watch it live.</p>
      {rows.length === 0 ? (
        <p className="empty">No run yet. Open a pipeline and run it.</p>
      ) : (
        <table className="plain" data-testid="runs-table">
          <thead>
            <tr>
              <th>Run</th>
              <th>Pipeline</th>
              <th>Status</th>
              <th>Started</th>
              <th className="num">Fraud flags</th>
              <th className="num">Dead letters</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id}>
                <td>
                  <Link href={`/runs/${r.id}`}>
                    <code>{r.id}</code>
                  </Link>
                </td>
                <td>{r.pipeline?.name ?? "—"}</td>
                <td>
                  {live.get(r.id)?.status ?? r.status}
                  {r.errorNodeId && <span className="meta"> at node {r.errorNodeId}</span>}
                </td>
                <td>{r.startedAt.toLocaleString("en-GB")}</td>
                <td className="num" data-testid="run-flags">
                  {(flagCount.get(r.id) ?? 0).toLocaleString("en-US")}
                </td>
                <td className="num">{(deadCount.get(r.id) ?? 0).toLocaleString("en-US")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
