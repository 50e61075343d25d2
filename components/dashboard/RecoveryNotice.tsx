"use client";

import { useState } from "react";
import type { CheckpointRecovery } from "@/server/runs/types";

/**
 * What a resumed run found wrong with its checkpoints: every file it skipped and why, and the
 * older file it fell back to. When none was usable the run is stopped and the user chooses:
 * resume it from scratch (its state starts empty) or keep it stopped.
 */
export function RecoveryNotice({ runId, recovery }: { runId: string; recovery: CheckpointRecovery }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [decided, setDecided] = useState(recovery.decision);
  const decide = async (choice: "fresh" | "keep-stopped") => {
    setBusy(true);
    setError(undefined);
    try {
      const res = await fetch(`/api/runs/${encodeURIComponent(runId)}/recovery`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ choice }),
      });
      if (!res.ok) throw new Error(((await res.json().catch(() => ({}))) as { error?: string }).error ?? `HTTP ${res.status}`);
      setDecided(choice);
      if (choice === "fresh") window.location.reload();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const pending = recovery.needsDecision && !decided;
  return (
    <section className="recovery-notice" role="alert" data-testid="checkpoint-warning" data-needs-decision={pending ? "true" : "false"}>
      <h2>{recovery.needsDecision ? "No usable checkpoint" : "Damaged checkpoint skipped"}</h2>
      <p>
        {recovery.restoredFrom
          ? <>The run recovered from the older checkpoint <code>{recovery.restoredFrom}</code> after skipping:</>
          : <>The run could not resume from its checkpoints, so it was kept stopped rather than started over. Files refused:</>}
      </p>
      <ul>
        {recovery.skipped.map((s) => (
          <li key={s.file}>
            <code>{s.file}</code> <span className="tag" data-tone="warn">{s.kind}</span> {s.reason}
          </li>
        ))}
      </ul>
      {pending && (
        <p className="recovery-choice">
          <button type="button" className="dash-button" disabled={busy} onClick={() => void decide("fresh")}>
            Resume from scratch
          </button>
          <button type="button" className="dash-button" disabled={busy} onClick={() => void decide("keep-stopped")}>
            Keep stopped
          </button>
          <span className="muted"> Resuming from scratch starts the run&apos;s state empty; the damaged files are kept as damaged-checkpoint-*.</span>
        </p>
      )}
      {decided === "keep-stopped" && <p className="muted">The run stays stopped.</p>}
      {error && (
        <span className="error-text" role="alert">
          {error}
        </span>
      )}
    </section>
  );
}
