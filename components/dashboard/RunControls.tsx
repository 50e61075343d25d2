"use client";

import Link from "next/link";
import { useState } from "react";
import { FINAL_STATUSES, type RunStatus } from "@/server/runs/types";
import { ConfirmDialog } from "./ConfirmDialog";

type Action = "pause" | "resume" | "step" | "stop";

/**
 * Pause, step, resume and stop the run from its dashboard (a run started with one click has no
 * editor open), and a link to its pipeline in the editor.
 */
export function RunControls({ runId, pipelineId, status }: { runId: string; pipelineId: string | null; status: RunStatus }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [confirming, setConfirming] = useState(false);
  if (!pipelineId) return null;
  const act = async (action: Action) => {
    setBusy(true);
    setError(undefined);
    try {
      const res = await fetch(`/api/pipelines/${encodeURIComponent(pipelineId)}/run`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ action, runId }),
      });
      if (!res.ok) setError(`${action}: ${((await res.json().catch(() => ({}))) as { error?: string }).error ?? `HTTP ${res.status}`}`);
    } catch (e) {
      setError(`${action}: ${(e as Error).message}`);
    } finally {
      setBusy(false);
    }
  };
  const live = !FINAL_STATUSES.has(status) && status !== "stopping";
  return (
    <div className="run-controls">
      {live && status === "paused" && (
        <>
          <button type="button" className="dash-button" disabled={busy} onClick={() => void act("resume")}>
            Resume
          </button>
          <button type="button" className="dash-button" disabled={busy} onClick={() => void act("step")} title="Run one batch, then pause again">
            Step
          </button>
        </>
      )}
      {live && status !== "paused" && (
        <button type="button" className="dash-button" disabled={busy} onClick={() => void act("pause")}>
          Pause
        </button>
      )}
      {live && (
        <button type="button" className="dash-button" disabled={busy} onClick={() => setConfirming(true)} aria-haspopup="dialog">
          Stop
        </button>
      )}
      <Link className="dash-button" href={`/pipelines/${encodeURIComponent(pipelineId)}`}>
        Open in editor
      </Link>
      <ConfirmDialog
        open={confirming && live}
        title="Stop this run?"
        confirmLabel="Stop the run"
        onCancel={() => setConfirming(false)}
        onConfirm={() => {
          setConfirming(false);
          void act("stop");
        }}
      >
        <p>
          The run ends: no further batch is run and its process exits. Its batches, flags and last state snapshot stay readable on this page.
        </p>
      </ConfirmDialog>
      {error && (
        <span className="error-text" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}
