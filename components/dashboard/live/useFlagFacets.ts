"use client";

import { useEffect, useRef, useState } from "react";
import type { FlagFacets } from "@/server/runs/RunStore";

const EMPTY: FlagFacets = { accounts: [], rules: [] };
/** Fetched again at most this often while flags keep arriving (ms). */
const REFRESH_MS = 2000;

/**
 * The accounts and rules among a run's flags (`/api/runs/:runId/flags/facets`), for the fraud
 * panel's filters: fetched on load, after a reconnect and when `liveKey` says new flags arrived.
 */
export function useFlagFacets(runId: string, refreshKey: number, liveKey: string): FlagFacets {
  const [facets, setFacets] = useState<FlagFacets>(EMPTY);
  const lastFetch = useRef(0);
  useEffect(() => {
    let cancelled = false;
    const timer = setTimeout(
      () => {
        lastFetch.current = Date.now();
        fetch(`/api/runs/${encodeURIComponent(runId)}/flags/facets`)
          .then((res) => (res.ok ? (res.json() as Promise<FlagFacets>) : EMPTY))
          .then((f) => !cancelled && setFacets(f))
          // The panel still works without filters; the table reports fetch errors.
          .catch(() => undefined);
      },
      Math.max(0, lastFetch.current + REFRESH_MS - Date.now()),
    );
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [runId, refreshKey, liveKey]);
  return facets;
}
