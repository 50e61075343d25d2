"use client";

import { useState } from "react";
import { streamsOfNode } from "@/server/runs/aggregate/streams";
import { FINAL_STATUSES, type BatchSummary, type CheckpointRecovery } from "@/server/runs/types";
import { BatchDetails } from "./BatchDetails";
import { BatchTable } from "./BatchTable";
import { DeadLettersPanel } from "./DeadLettersPanel";
import { FlagsPanel } from "./FlagsPanel";
import { KafkaPanel } from "./KafkaPanel";
import { RatePanel } from "./RatePanel";
import { useBatchSelection } from "./live/useBatchSelection";
import { useRun } from "./live/useRun";
import { NodeErrorsTable } from "./NodeErrorsTable";
import { PrintConsole } from "./PrintConsole";
import { RecoveryNotice } from "./RecoveryNotice";
import { ReplayPanel } from "./replay/ReplayPanel";
import { RunControls } from "./RunControls";
import { RunHeader } from "./RunHeader";
import { StatePanel } from "./StatePanel";
import { StatisticsTable } from "./StatisticsTable";
import { StoredRunDashboard } from "./StoredRunDashboard";
import { StreamsPanel } from "./StreamsPanel";
import { StreamTail } from "./StreamTail";
import type { RunGraph, TailSelection } from "./types";
import { WindowsPanel } from "./WindowsPanel";
import "./dashboard.css";

/** What the database remembers of a run, shown when the server no longer hosts it live. */
export interface StoredRun {
  name: string;
  status: string;
  error: string | null;
  errorNodeId: string | null;
  startedAt: string;
  endedAt: string | null;
  /** The run document's batch interval, to trace flags to their batches. */
  batchIntervalMs?: number;
}

export interface RunDashboardProps {
  runId: string;
  graph: RunGraph | null;
  stored: StoredRun | null;
  /** A stream to tail at once (`<nodeId>:<port>`), as the editor's wires link here. */
  initialTail?: string;
  /** Damaged checkpoints the run met when it resumed, as the hub knew them when the page was served. */
  recovery?: CheckpointRecovery;
}

/** The live dashboard of one run: Spark's Streaming tab, plus data on every wire and windows. */
export function RunDashboard({ runId, graph, stored, initialTail, recovery: servedRecovery }: RunDashboardProps) {
  const { view, error, connected, connections, queryState } = useRun(runId);
  const { selectedBatchMs, selectBatch, revealBatch, close: closeBatch } = useBatchSelection();
  const [tail, setTail] = useState<TailSelection | undefined>(initialTail ? { kind: "stream", streamId: initialTail } : undefined);
  const [replayBatch, setReplayBatch] = useState<{ batchTimeMs: number; seq: number }>();
  const askReplay = (batchTimeMs: number) => setReplayBatch((r) => ({ batchTimeMs, seq: (r?.seq ?? 0) + 1 }));

  if (!view) {
    if (error && stored)
      return (
        <>
          {servedRecovery && <RecoveryNotice runId={runId} recovery={servedRecovery} />}
          <StoredRunDashboard runId={runId} stored={stored} reason={error} />
        </>
      );
    if (error) return <div className="empty" data-testid="run-error">{error}</div>;
    return <p className="muted">Joining the run…</p>;
  }
  // A pipeline with a fraud flags output is about its flags: they come first, under the header.
  const flagsFirst = graph?.nodes.some((n) => n.kind === "fraudFlags") ?? false;
  const flagsPanel = (
    <FlagsPanel
      runId={runId}
      refreshKey={connections}
      liveKey={liveKey(view.flags)}
      batchIntervalMs={view.batchIntervalMs}
      batches={view.batches}
      expectFlags={flagsFirst}
      onSelectBatch={revealBatch}
    />
  );
  const selectedBatch = view.batches.find((b) => b.batchTimeMs === selectedBatchMs);
  const streamIds = new Set(view.batches.flatMap((b) => Object.keys(b.streamCounts)));
  const tailNode = tail?.kind === "node" ? graph?.nodes.find((n) => n.id === tail.nodeId) : undefined;

  return (
    <div className="dash" data-testid="run-dashboard">
      <RunHeader
        name={view.name}
        status={view.status}
        message={view.message}
        errorNodeId={view.errorNodeId}
        startedAt={view.startedAt}
        batchIntervalMs={view.batchIntervalMs}
        totals={view.totals}
        sources={view.sources}
        connected={connected}
        controls={<RunControls runId={runId} pipelineId={view.pipelineId} status={view.status} />}
      />
      {(view.recovery ?? servedRecovery) && <RecoveryNotice runId={runId} recovery={(view.recovery ?? servedRecovery)!} />}
      {flagsFirst && flagsPanel}
      <StatisticsTable batches={view.batches} batchIntervalMs={view.batchIntervalMs} selectedBatchMs={selectedBatchMs} onSelectBatch={selectBatch} />
      <RatePanel sources={view.sources} status={view.status} />
      <KafkaPanel sources={view.sources} />
      <div className="dash-split">
        <BatchTable batches={view.batches} selectedBatchMs={selectedBatchMs} onSelectBatch={selectBatch} onReplayBatch={askReplay} />
        {selectedBatch ? (
          <BatchDetails
            batch={selectedBatch}
            batchIntervalMs={view.batchIntervalMs}
            printed={view.printed}
            nodeErrors={view.nodeErrors}
            onClose={closeBatch}
          />
        ) : (
          <PrintConsole printed={view.printed} />
        )}
      </div>
      <ReplayPanel runId={runId} completedBatches={view.totals?.completedBatches ?? view.batches.length} batchRequest={replayBatch} />
      <div className="dash-split">
        <StreamsPanel graph={graph} batches={view.batches} selection={tail} onSelect={setTail} />
        {tail?.kind === "stream" && <StreamTail title={tail.streamId} streamIds={[tail.streamId]} batches={view.batches} onClose={() => setTail(undefined)} />}
        {tail?.kind === "node" &&
          (tailNode?.kind === "print" ? (
            <PrintConsole printed={view.printed} nodeId={tail.nodeId} />
          ) : (
            <StreamTail title={tail.nodeId} streamIds={streamsOfNode(streamIds, tail.nodeId)} batches={view.batches} onClose={() => setTail(undefined)} />
          ))}
        {!tail && selectedBatch && <PrintConsole printed={view.printed} />}
      </div>
      <WindowsPanel batches={view.batches} batchIntervalMs={view.batchIntervalMs} />
      <StatePanel streams={stateStreamsOf(view.stateStreams, view.batches)} batches={view.batches} queryState={queryState} ended={FINAL_STATUSES.has(view.status)} />
      {!flagsFirst && flagsPanel}
      <DeadLettersPanel runId={runId} refreshKey={connections} liveKey={liveKey(view.deadLetters)} onSelectBatch={selectBatch} />
      <NodeErrorsTable errors={view.nodeErrors} onSelectBatch={selectBatch} />
    </div>
  );
}

/**
 * The run's state streams: those its snapshot named, and any a batch reported changes for (a
 * browser that joined before the run's thread had built its streams learns them this way).
 */
function stateStreamsOf(named: readonly string[], batches: readonly BatchSummary[]): string[] {
  const all = new Set(named);
  for (const b of batches) for (const id of Object.keys(b.state ?? {})) all.add(id);
  return [...all].sort();
}

/** Changes whenever live records arrive (the lists are capped, so their length alone would stop changing). */
const liveKey = (list: readonly { batchTimeMs: number }[]): string => `${list.length}:${list[list.length - 1]?.batchTimeMs ?? ""}`;

