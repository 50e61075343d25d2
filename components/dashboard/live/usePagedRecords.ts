"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import type { StoredItem } from "@/server/runs/RunStore";

export interface PagedRecords<T> {
  items: StoredItem<T>[];
  total: number;
  /** More (older) records exist: `loadOlder` fetches the next page. */
  hasOlder: boolean;
  loadOlder: () => void;
  /** Records the per-batch caps left out, as the server counts them. */
  dropped: number;
  error?: string;
}

/** The newest page is fetched again at most this often while records keep arriving (ms). */
const REFRESH_MS = 1000;
const NO_FILTER: Readonly<Record<string, string>> = {};

/**
 * A run's persisted records (dead letters, node errors, flags) from `/api/runs/:runId/<path>`,
 * newest first: fetched on load, again after every reconnect and when `liveKey` (what the
 * socket reports) changes, at most once a second; older pages on demand. `filter` adds query
 * parameters (e.g. `account`, `rule`); a new filter starts again from the newest page.
 */
export function usePagedRecords<T>(runId: string, path: string, refreshKey: number, liveKey: string, filter: Readonly<Record<string, string>> = NO_FILTER, pageSize = 50): PagedRecords<T> {
  const [items, setItems] = useState<StoredItem<T>[]>([]);
  const [total, setTotal] = useState(0);
  const [next, setNext] = useState<number | undefined>();
  const [dropped, setDropped] = useState(0);
  const [error, setError] = useState<string>();
  const lastFetch = useRef(0);
  const olderLoaded = useRef(false);
  // Compared by value, so that a caller's fresh object with the same filter refetches nothing.
  const filterKey = JSON.stringify(Object.entries(filter).filter(([, v]) => v !== ""));
  const [shownKey, setShownKey] = useState(filterKey);
  if (shownKey !== filterKey) {
    // A new filter: the old one's pages and cursor go before anything renders with them.
    setShownKey(filterKey);
    setItems([]);
    setNext(undefined);
  }
  // The filter whose answers count: an older page of another filter arriving late is ignored.
  const currentKey = useRef(filterKey);
  useEffect(() => {
    currentKey.current = filterKey;
    olderLoaded.current = false;
    lastFetch.current = 0;
  }, [filterKey]);

  const fetchPage = useCallback(
    async (before?: number) => {
      const qs = new URLSearchParams([...(JSON.parse(filterKey) as [string, string][]), ["limit", String(pageSize)]]);
      if (before !== undefined) qs.set("before", String(before));
      const res = await fetch(`/api/runs/${encodeURIComponent(runId)}/${path}?${qs}`);
      const body = (await res.json().catch(() => ({}))) as { items?: StoredItem<T>[]; next?: number; total?: number; dropped?: number; error?: string };
      if (!res.ok || !body.items) throw new Error(body.error ?? `${path}: HTTP ${res.status}`);
      return { items: body.items, next: body.next, total: body.total ?? body.items.length, dropped: body.dropped ?? 0 };
    },
    [runId, path, pageSize, filterKey],
  );

  useEffect(() => {
    let cancelled = false;
    const wait = Math.max(0, lastFetch.current + REFRESH_MS - Date.now());
    const timer = setTimeout(() => {
      lastFetch.current = Date.now();
      fetchPage().then(
        (page) => {
          if (cancelled) return;
          // The newest page replaces the head; pages loaded further back stay below it.
          setItems((old) => {
            if (!olderLoaded.current) return page.items;
            const ids = new Set(page.items.map((i) => i.id));
            const oldest = page.items[page.items.length - 1]?.id ?? Infinity;
            return [...page.items, ...old.filter((i) => !ids.has(i.id) && i.id < oldest)];
          });
          if (!olderLoaded.current) setNext(page.next);
          setTotal(page.total);
          setDropped(page.dropped);
          setError(undefined);
        },
        (e: Error) => !cancelled && setError(e.message),
      );
    }, wait);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [fetchPage, refreshKey, liveKey]);

  const loadOlder = useCallback(() => {
    if (next === undefined) return;
    const askedFor = filterKey;
    fetchPage(next).then(
      (page) => {
        if (currentKey.current !== askedFor) return;
        olderLoaded.current = true;
        setItems((old) => [...old, ...page.items.filter((i) => !old.some((o) => o.id === i.id))]);
        setNext(page.next);
        setTotal(page.total);
      },
      (e: Error) => setError(e.message),
    );
  }, [fetchPage, next, filterKey]);

  return { items, total, hasOlder: next !== undefined, loadOlder, dropped, error };
}
