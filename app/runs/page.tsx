import Link from "next/link";
import { formatCount, formatDuration } from "@/components/dashboard/format";
import type { RunTotals } from "@/server/runs/types";
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
  // Completed batches: the live run's count, else the totals stored with its newest batch.
  const batchCount = new Map(
    await Promise.all(
      rows.map(async (r): Promise<[string, number | undefined]> => {
        const live = runs.snapshot(r.id);
        if (live && !live.ended) return [r.id, live.totals?.completedBatches];
        const newest = await db.batchMetric.findFirst({ where: { runId: r.id }, orderBy: { batchTimeMs: "desc" }, select: { payload: true } });
        return [r.id, newest ? totalsOf(newest.payload)?.completedBatches : 0];
      }),
    ),
  );
  const now = Date.now();
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
              <th>Status</th>
              <th>Started</th>
              <th className="num">Duration</th>
              <th className="num">Batches</th>
              <th className="num">Fraud flags</th>
              <th className="num">Dead letters</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} data-run-id={r.id}>
                <td>
                  <Link href={`/runs/${r.id}`} title={`Run ${r.id}`}>
                    {r.pipeline?.name ?? documentName(r.document)}
                  </Link>
                </td>
                <td>
                  {live.get(r.id)?.status ?? r.status}
                  {r.errorNodeId && <span className="meta"> at node {r.errorNodeId}</span>}
                </td>
                <td>{r.startedAt.toLocaleString("en-GB")}</td>
                <td className="num" data-testid="run-duration">
                  {runDuration(r.startedAt, r.endedAt, live.get(r.id)?.status ?? r.status, now)}
                </td>
                <td className="num" data-testid="run-batches">
                  {formatCount(batchCount.get(r.id))}
                </td>
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

/** How long a run ran, or has run so far while it is live; "—" when it ended with no recorded end. */
function runDuration(startedAt: Date, endedAt: Date | null, status: string, now: number): string {
  const whole = (ms: number) => formatDuration(Math.max(0, Math.floor(ms / 1000) * 1000));
  if (endedAt) return whole(endedAt.getTime() - startedAt.getTime());
  return status === "stopped" || status === "failed" ? "—" : `${whole(now - startedAt.getTime())} so far`;
}

/** The name in a stored run document, for a run whose pipeline was deleted. */
function documentName(text: string): string {
  try {
    const name = (JSON.parse(text) as { name?: unknown }).name;
    return typeof name === "string" && name ? name : "Unnamed run";
  } catch {
    return "Unnamed run";
  }
}

function totalsOf(payload: string): RunTotals | undefined {
  try {
    return (JSON.parse(payload) as { totals?: RunTotals }).totals;
  } catch {
    return undefined;
  }
}
