import type { RunStatus } from "@/server/runs/types";

const TONE: Record<RunStatus, "ok" | "warn" | "bad" | "idle"> = {
  starting: "warn",
  running: "ok",
  paused: "warn",
  waiting: "warn",
  recovering: "warn",
  stopping: "idle",
  stopped: "idle",
  failed: "bad",
};

const LABEL: Record<RunStatus, string> = {
  starting: "Starting",
  running: "Running",
  paused: "Paused",
  waiting: "Waiting for a source",
  recovering: "Recovering from checkpoint",
  stopping: "Stopping",
  stopped: "Stopped",
  failed: "Failed",
};

export function RunStatusBadge({ status }: { status: RunStatus }) {
  return (
    <span className="run-status" data-tone={TONE[status]} data-testid="run-status" data-status={status}>
      {LABEL[status]}
    </span>
  );
}
