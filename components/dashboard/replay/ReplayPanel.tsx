"use client";

import { useEffect, useRef, useState } from "react";
import type { RecordingResponse, ReplayResponse } from "@/server/runs/types";
import { formatBatchTime, formatCount } from "../format";
import { fetchRecording, requestReplay } from "./api";
import { BatchReplayView } from "./BatchReplayView";
import { ComparisonView } from "./ComparisonView";
import "./replay.css";

export interface ReplayPanelProps {
  runId: string;
  /** Completed batches so far: the recording is read again as it grows. */
  completedBatches?: number;
  /** A batch the user asked to run again from the batch table (`seq` tells two asks for the same batch apart). */
  batchRequest?: { batchTimeMs: number; seq: number };
}

type Pending = { kind: "compare" } | { kind: "batch"; batchTimeMs: number };

const kb = (bytes: number) => `${formatCount(Math.ceil(bytes / 1024))} kB`;

/** What the response compared against, in words. */
function againstText(r: ReplayResponse): string {
  const a = r.against;
  if (a.source === "request") return "the document sent";
  return `the pipeline's ${a.workingCopy ? `working copy (edits since version ${a.version})` : `version ${a.version}`}`;
}

/**
 * The run's recorded input and what can be done with it: "Replay against this pipeline" runs the
 * pipeline as the editor has it over every recorded batch, beside the run's own document, and
 * shows per output and batch what changed; a batch asked for from the batch table is shown side
 * by side. Replays run on the server in a process of their own.
 */
export function ReplayPanel({ runId, completedBatches = 0, batchRequest }: ReplayPanelProps) {
  const [recording, setRecording] = useState<RecordingResponse>();
  const [recordingError, setRecordingError] = useState<string>();
  const [pending, setPending] = useState<Pending>();
  const [result, setResult] = useState<ReplayResponse>();
  const [error, setError] = useState<string>();
  const section = useRef<HTMLElement>(null);
  const full = recording !== undefined && (recording.ended !== undefined || recording.batchTimesMs.length >= recording.limits.maxBatches);
  // Read again every few completed batches while the recording grows.
  const refreshKey = full ? -1 : Math.floor(completedBatches / 3);

  // A read is not cancelled by the next one (a slow answer would then never show): any answer
  // newer than the one shown replaces it, unless the page has moved to another run.
  const asked = useRef(0);
  const shown = useRef(0);
  const currentRun = useRef(runId);
  currentRun.current = runId;
  useEffect(() => {
    const seq = ++asked.current;
    fetchRecording(runId)
      .then((r) => {
        if (currentRun.current !== runId || seq < shown.current) return;
        shown.current = seq;
        setRecording(r);
        setRecordingError(undefined);
      })
      .catch((e: Error) => currentRun.current === runId && seq >= shown.current && setRecordingError(e.message));
  }, [runId, refreshKey]);

  const run = (what: Pending) => {
    setPending(what);
    setError(undefined);
    setResult(undefined);
    requestReplay(runId, what.kind === "batch" ? what.batchTimeMs : undefined)
      .then(setResult)
      .catch((e: Error) => setError(e.message))
      .finally(() => setPending(undefined));
  };

  useEffect(() => {
    if (!batchRequest) return;
    run({ kind: "batch", batchTimeMs: batchRequest.batchTimeMs });
    section.current?.scrollIntoView({ block: "start", behavior: "smooth" });
    // Only a new ask starts a replay.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [batchRequest?.seq]);

  const times = recording?.batchTimesMs ?? [];
  const outcome = result?.outcome;
  return (
    <section ref={section} className="dash-section" aria-label="Recorded input and replay" data-testid="replay-panel">
      <h2>
        Recorded input and replay
        <small data-testid="recording-summary">
          {recording
            ? times.length === 0
              ? "no input batch recorded yet"
              : `${times.length} batch${times.length === 1 ? "" : "es"} recorded, ${formatBatchTime(times[0])} to ${formatBatchTime(times.at(-1)!)}, ${kb(recording.bytes)}`
            : (recordingError ?? "reading…")}
        </small>
      </h2>
      {recording && (
        <p className="muted">
          A run records its first {formatCount(recording.limits.maxBatches)} input batches, at most {kb(recording.limits.maxBytes)} (RECORD_MAX_BATCHES, RECORD_MAX_BYTES)
          {recording.ended ? `: ${recording.ended}` : ""}. A batch of the table can be run again (its Replay button), and the pipeline as the editor has it can be
          compared with this run over all of them.
        </p>
      )}
      <div className="dash-toolbar">
        <button type="button" className="dash-button" disabled={pending !== undefined || times.length === 0} onClick={() => run({ kind: "compare" })}>
          Replay against this pipeline
        </button>
        {pending && (
          <span role="status">
            {pending.kind === "compare" ? `Replaying ${times.length} recorded batches…` : `Running batch ${formatBatchTime(pending.batchTimeMs)} again…`}
          </span>
        )}
      </div>
      {error && (
        <p className="error-text" role="alert" data-testid="replay-error">
          {error}
        </p>
      )}
      {result && outcome && !outcome.ok && (
        <p className="error-text" role="alert" data-testid="replay-error">
          The replay failed{outcome.nodeId ? ` at node ${outcome.nodeId}` : ""}: {outcome.error}
        </p>
      )}
      {result && outcome?.ok && <p className="muted">Compared with {againstText(result)}.</p>}
      {outcome?.ok && outcome.kind === "compare" && <ComparisonView comparison={outcome.comparison} />}
      {outcome?.ok && outcome.kind === "batch" && <BatchReplayView replay={outcome.batch} onClose={() => setResult(undefined)} />}
    </section>
  );
}
