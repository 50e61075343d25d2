"use client";

import { useEffect, useState } from "react";
import type { BatchSummary, RunStatus, RunTotals } from "@/server/runs/types";
import { BatchDetails } from "./BatchDetails";
import { BatchTable } from "./BatchTable";
import { DeadLettersPanel } from "./DeadLettersPanel";
import { FlagsPanel } from "./FlagsPanel";
import { formatCount } from "./format";
import { useBatchSelection } from "./live/useBatchSelection";
import { ReplayPanel } from "./replay/ReplayPanel";
import { useStoredState } from "./live/useStoredState";
import type { StoredRun } from "./RunDashboard";
import { RunStatusBadge } from "./RunStatusBadge";
import { StatePanel } from "./StatePanel";
import { StatisticsTable } from "./StatisticsTable";

const KNOWN_STATUSES: readonly RunStatus[] = ["starting", "running", "paused", "waiting", "recovering", "stopping", "stopped", "failed"];
const NO_OUTPUT: never[] = [];

/**
 * A run this server does not host (it ended, or ran before a restart): what the database keeps of
 * it. Its completed batches with Spark's statistics, its fraud flags (traced to those batches),
 * its dead letters and the last snapshot of its state; printed output and live windows are not kept.
 */
export function StoredRunDashboard({ runId, stored, reason }: { runId: string; stored: StoredRun; reason: string }) {
  const status = (KNOWN_STATUSES as readonly string[]).includes(stored.status) ? (stored.status as RunStatus) : undefined;
  const [history, setHistory] = useState<{ batches: BatchSummary[]; totals: RunTotals | null }>();
  const [loadError, setLoadError] = useState<string>();
  const { selectedBatchMs, selectBatch, revealBatch, close: closeBatch } = useBatchSelection();
  const [replayBatch, setReplayBatch] = useState<{ batchTimeMs: number; seq: number }>();
  const state = useStoredState(runId);

  useEffect(() => {
    let cancelled = false;
    fetch(`/api/runs/${encodeURIComponent(runId)}/batches`)
      .then(async (res) => {
        const body = (await res.json().catch(() => ({}))) as { batches?: BatchSummary[]; totals?: RunTotals | null; error?: string };
        if (!res.ok || !body.batches) throw new Error(body.error ?? `HTTP ${res.status}`);
        if (!cancelled) setHistory({ batches: body.batches, totals: body.totals ?? null });
      })
      .catch((e: Error) => !cancelled && setLoadError(`the run's batches could not be read: ${e.message}`));
    return () => {
      cancelled = true;
    };
  }, [runId]);

  const batches = history?.batches ?? NO_OUTPUT;
  const interval = stored.batchIntervalMs ?? 0;
  const selected = batches.find((b) => b.batchTimeMs === selectedBatchMs);
  return (
    <div className="dash" data-testid="run-dashboard">
      <header>
        <div className="run-header">
          <h1>{stored.name}</h1>
          {status && <RunStatusBadge status={status} />}
        </div>
        <p className="run-basic" data-testid="run-basic-info">
          Started {new Date(stored.startedAt).toLocaleString("en-GB")}
          {stored.endedAt && `, ended ${new Date(stored.endedAt).toLocaleString("en-GB")}`}
          {history?.totals && (
            <>
              {" "}
              (<strong>{formatCount(history.totals.completedBatches)}</strong> completed batches, <strong>{formatCount(history.totals.totalRecords)}</strong> records)
            </>
          )}
          .
        </p>
        {stored.error && (
          <p className="run-failure" role="alert">
            {stored.errorNodeId && (
              <>
                Failed at node <code>{stored.errorNodeId}</code>:{" "}
              </>
            )}
            {stored.error}
          </p>
        )}
        <p className="run-notice" data-testid="stored-run-notice">
          This server is not running this run now ({reason}): shown is what the database keeps of it.
        </p>
      </header>
      {loadError && <p className="error-text">{loadError}</p>}
      <FlagsPanel runId={runId} refreshKey={0} liveKey="stored" batchIntervalMs={interval} batches={batches} expectFlags={false} onSelectBatch={revealBatch} />
      {batches.length > 0 && interval > 0 && (
        <>
          <StatisticsTable batches={batches} batchIntervalMs={interval} selectedBatchMs={selectedBatchMs} onSelectBatch={selectBatch} />
          <div className="dash-split">
            <BatchTable
              batches={batches}
              selectedBatchMs={selectedBatchMs}
              onSelectBatch={selectBatch}
              onReplayBatch={(batchTimeMs) => setReplayBatch((r) => ({ batchTimeMs, seq: (r?.seq ?? 0) + 1 }))}
            />
            {selected && <BatchDetails batch={selected} batchIntervalMs={interval} printed={NO_OUTPUT} nodeErrors={NO_OUTPUT} onClose={closeBatch} />}
          </div>
        </>
      )}
      <ReplayPanel runId={runId} batchRequest={replayBatch} />
      {history && batches.length === 0 && <p className="empty">The database keeps no completed batch of this run.</p>}
      {state.streams.length > 0 && <StatePanel streams={state.streams} batches={batches} queryState={state.queryState} ended />}
      <DeadLettersPanel runId={runId} refreshKey={0} liveKey="stored" onSelectBatch={selectBatch} />
    </div>
  );
}
