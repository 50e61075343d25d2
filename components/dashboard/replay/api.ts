import type { RecordingResponse, ReplayResponse } from "@/server/runs/types";

/** The error text of a failed API answer: its `error`, else the HTTP status. */
async function failure(res: Response): Promise<string> {
  const body = (await res.json().catch(() => ({}))) as { error?: unknown };
  return typeof body.error === "string" ? body.error : `HTTP ${res.status}`;
}

/** What the run has recorded (GET /api/runs/:runId/recording). */
export async function fetchRecording(runId: string): Promise<RecordingResponse> {
  const res = await fetch(`/api/runs/${encodeURIComponent(runId)}/recording`);
  if (!res.ok) throw new Error(await failure(res));
  return (await res.json()) as RecordingResponse;
}

/**
 * Replays the run's recorded input against the pipeline as the editor has it: every recorded
 * batch (a comparison), or one batch side by side when `batchTimeMs` is given.
 */
export async function requestReplay(runId: string, batchTimeMs?: number): Promise<ReplayResponse> {
  const res = await fetch(`/api/runs/${encodeURIComponent(runId)}/replay`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(batchTimeMs === undefined ? {} : { batchTimeMs }),
  });
  // A replay that failed (a node's error, the time limit) still answers with its outcome (422).
  if (!res.ok && res.status !== 422) throw new Error(await failure(res));
  const body = (await res.json().catch(() => undefined)) as ReplayResponse | { error?: string } | undefined;
  if (!body || !("outcome" in body)) throw new Error((body as { error?: string } | undefined)?.error ?? `HTTP ${res.status}`);
  return body;
}
