"use client";

import { useCallback, useEffect, useState } from "react";
import type { StateList, StateQuery, StateReply } from "@/server/runs/state/types";

/**
 * The state of a run this server does not host, over HTTP (`/api/runs/:runId/state`): its last
 * stored snapshot, paged and searched by the server. `streams` is empty until listed, and stays
 * empty when the run stored no state.
 */
export function useStoredState(runId: string): { streams: string[]; queryState: (q: StateQuery) => Promise<StateReply> } {
  const queryState = useCallback(
    async (q: StateQuery): Promise<StateReply> => {
      try {
        const res = await fetch(`/api/runs/${encodeURIComponent(runId)}/state?query=${encodeURIComponent(JSON.stringify(q))}`);
        const body: unknown = await res.json().catch(() => undefined);
        if (body !== null && typeof body === "object" && "ok" in body) return body as StateReply;
        return { ok: false, error: (body as { error?: string } | undefined)?.error ?? `HTTP ${res.status}` };
      } catch (e) {
        return { ok: false, error: (e as Error).message };
      }
    },
    [runId],
  );
  const [streams, setStreams] = useState<string[]>([]);
  useEffect(() => {
    let cancelled = false;
    void queryState({ kind: "list" }).then((reply) => {
      if (!cancelled && reply.ok) setStreams((reply.result as StateList).streams.map((s) => s.streamId).sort());
    });
    return () => {
      cancelled = true;
    };
  }, [queryState]);
  return { streams, queryState };
}
