"use client";

import { useEffect, useState, type ReactNode } from "react";
import { kafkaLagSummary } from "@/server/runs/aggregate/sources";
import { FINAL_STATUSES, type RunStatus, type SourcesView } from "@/server/runs/types";
import type { RunView } from "./live/runState";
import { formatCount, formatDuration } from "./format";
import { RunStatusBadge } from "./RunStatusBadge";

export type RunHeaderProps = Pick<RunView, "name" | "status" | "message" | "errorNodeId" | "startedAt" | "batchIntervalMs" | "totals"> & {
  /** The run's sources: a growing Kafka lag shows in the header. */
  sources?: SourcesView;
  connected: boolean;
  /** Controls of the live run, when the dashboard has them. */
  controls?: ReactNode;
};

/** Seconds ticking while the run is live, so the uptime moves between frames. */
function useNow(live: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!live) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [live]);
  return now;
}

const clock = (iso: string) => new Date(iso).toLocaleTimeString("en-GB", { hour12: false });

/** Spark's header line: "Running batches of 1 s for 2 min since 20:41:07 (120 completed batches, 3,456 records)". */
export function RunHeader(p: RunHeaderProps) {
  const final = FINAL_STATUSES.has(p.status);
  const now = useNow(!final);
  const uptime = Math.max(0, now - Date.parse(p.startedAt));
  const verb = final ? "Ran" : p.status === "paused" ? "Paused: batches of" : "Running batches of";
  return (
    <header>
      <div className="run-header">
        <h1>{p.name}</h1>
        <RunStatusBadge status={p.status} />
        {!p.connected && <span className="tag" data-tone="warn">reconnecting…</span>}
        <LagTag sources={p.sources} />
        {p.controls}
      </div>
      <p className="run-basic" data-testid="run-basic-info">
        {final ? (
          <>
            {verb} batches of <strong>{formatDuration(p.batchIntervalMs)}</strong> from {clock(p.startedAt)}
          </>
        ) : (
          <>
            {verb} <strong>{formatDuration(p.batchIntervalMs)}</strong> for <strong>{formatDuration(Math.floor(uptime / 1000) * 1000)}</strong> since{" "}
            <strong>{clock(p.startedAt)}</strong>
          </>
        )}{" "}
        (<strong>{formatCount(p.totals.completedBatches)}</strong> completed batches, <strong>{formatCount(p.totals.totalRecords)}</strong> records
        {p.totals.failedBatches > 0 && <>, <strong className="error-text">{formatCount(p.totals.failedBatches)}</strong> failed</>})
      </p>
      <StatusDetail status={p.status} message={p.message} nodeId={p.errorNodeId} />
    </header>
  );
}

function StatusDetail({ status, message, nodeId }: { status: RunStatus; message?: string; nodeId?: string }) {
  if (status === "failed") {
    return (
      <p className="run-failure" role="alert" data-testid="run-failure">
        {nodeId && (
          <>
            Failed at node <code>{nodeId}</code>:{" "}
          </>
        )}
        {message ?? "the run failed without a message"}
      </p>
    );
  }
  if ((status === "waiting" || status === "recovering" || status === "paused") && message) {
    return <p className="run-notice">{message}</p>;
  }
  return null;
}

/** Kafka lag in the header while it grows: the run is not keeping up with its topics. */
function LagTag({ sources }: { sources: SourcesView | undefined }) {
  const lag = kafkaLagSummary(sources);
  if (!lag || lag.trend !== "growing") return null;
  return (
    <span className="tag" data-tone="warn" data-testid="header-lag" title="Kafka records not yet committed by the run's consumer group, growing">
      Kafka lag {formatCount(lag.lag)} ▲
    </span>
  );
}
