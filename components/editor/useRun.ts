"use client";
import { useCallback, useEffect, useRef, useState } from "react";
import type { Diagnostic } from "@/engine/pipeline/diagnostics";
import { wireStats } from "@/server/runs/aggregate/streams";
import type { PrintedBatch, RunSnapshot, RunStatus } from "@/server/runs/types";

/**
 * Run controls and live output, kept apart from the saved document. Polls the run's snapshot
 * while it is live (a small editor console; the dashboard subscribes over socket.io).
 */
export function useRun(pipelineId: string, saveNow: () => Promise<boolean>) {
  const [runId, setRunId] = useState<string | null>(null);
  const [status, setStatus] = useState<RunStatus | "idle">("idle");
  const [message, setMessage] = useState<string | null>(null);
  const [printed, setPrinted] = useState<PrintedBatch[]>([]);
  const [refused, setRefused] = useState<Diagnostic[] | null>(null);
  /** Records per batch on each wire (`<nodeId>:<port>` → newest batch's count) while a run is live. */
  const [wires, setWires] = useState<Record<string, number>>({});
  const timer = useRef<ReturnType<typeof setInterval> | null>(null);

  const post = useCallback(
    async (body: Record<string, unknown>) => {
      const res = await fetch(`/api/pipelines/${pipelineId}/run`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
      return { res, json: (await res.json().catch(() => ({}))) as { error?: string; runId?: string; diagnostics?: Diagnostic[]; snapshot?: RunSnapshot } };
    },
    [pipelineId],
  );

  const poll = useCallback(async (id: string) => {
    const res = await fetch(`/api/pipelines/${pipelineId}/run?runId=${encodeURIComponent(id)}`);
    if (!res.ok) return;
    const { snapshot } = (await res.json()) as { snapshot: RunSnapshot };
    setStatus(snapshot.status);
    // An ended run's snapshot is a summary without output: keep what the console last showed.
    if (!snapshot.ended) {
      setPrinted(snapshot.printed);
      const counts: Record<string, number> = {};
      for (const [id, stat] of wireStats(snapshot.batches.slice(-20))) counts[id] = stat.lastCount;
      setWires((old) => (JSON.stringify(old) === JSON.stringify(counts) ? old : counts));
    }
    setMessage(snapshot.message ? `${snapshot.message}${snapshot.errorNodeId ? ` (node ${snapshot.errorNodeId})` : ""}` : null);
    if ((snapshot.status === "stopped" || snapshot.status === "failed") && timer.current) {
      clearInterval(timer.current);
      timer.current = null;
    }
  }, [pipelineId]);

  useEffect(() => () => {
    if (timer.current) clearInterval(timer.current);
  }, []);

  // A run of this pipeline already live (started elsewhere, or before a reload): follow it.
  useEffect(() => {
    let cancelled = false;
    void fetch(`/api/pipelines/${pipelineId}/run`)
      .then((res) => (res.ok ? (res.json() as Promise<{ runs: { runId: string; status: RunStatus }[] }>) : { runs: [] }))
      .then(({ runs }) => {
        const live = runs.filter((r) => r.status !== "stopped" && r.status !== "failed").pop();
        if (cancelled || !live || timer.current) return;
        setRunId(live.runId);
        setStatus(live.status);
        timer.current = setInterval(() => void poll(live.runId), 500);
      })
      .catch(() => {});
    return () => {
      cancelled = true;
    };
  }, [pipelineId, poll]);

  const start = useCallback(async () => {
    setRefused(null);
    setMessage(null);
    if (!(await saveNow())) {
      setMessage("Run refused: the pipeline could not be saved");
      return;
    }
    const { res, json } = await post({ action: "start" });
    if (res.status === 422) {
      setRefused(json.diagnostics ?? []);
      setMessage(`Run refused: ${json.error}`);
      return;
    }
    if (!res.ok || !json.runId) {
      setMessage(`Run failed to start: ${json.error ?? res.statusText}`);
      return;
    }
    setRunId(json.runId);
    setPrinted([]);
    setWires({});
    setStatus("starting");
    if (timer.current) clearInterval(timer.current);
    const id = json.runId;
    timer.current = setInterval(() => void poll(id), 500);
  }, [post, poll, saveNow]);

  const control = useCallback(
    async (action: "stop" | "pause" | "resume" | "step") => {
      if (!runId) return;
      const { res, json } = await post({ action, runId });
      if (!res.ok) setMessage(`${action} failed: ${json.error ?? res.statusText}`);
      await poll(runId);
    },
    [post, poll, runId],
  );

  return { runId, status, message, printed, refused, wires, start, control };
}
