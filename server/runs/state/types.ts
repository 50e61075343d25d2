/**
 * The state of a run's stateful nodes as the dashboard asks for it: one page at a time, so that
 * a browser never receives a large state whole. Types only (browser-safe).
 */

/** Keys added, updated, removed and timed out by one batch (or between two batches). */
export interface StateChangeCounts {
  added: number;
  updated: number;
  removed: number;
  timedOut: number;
  /** Keys in the state after the batch. */
  total: number;
}

export type StateSortField = "key" | "value" | "updated";

/** One page of the newest snapshot of a state stream. */
export interface StatePageQuery {
  kind: "page";
  streamId: string;
  /** Case-insensitive text in the key or the value. */
  search?: string;
  sort?: StateSortField;
  desc?: boolean;
  offset?: number;
  limit?: number;
  /** Only the keys the newest batch added or updated. */
  changedOnly?: boolean;
}

/** What changed between two batches' snapshots (from excluded, to included). */
export interface StateDiffQuery {
  kind: "diff";
  streamId: string;
  fromBatchMs: number;
  toBatchMs: number;
  offset?: number;
  limit?: number;
}

/** The numeric state of the top keys (by value at the newest batch) over the retained batches. */
export interface StateSeriesQuery {
  kind: "series";
  streamId: string;
  top?: number;
}

/** Which stateful streams a run has. */
export interface StateListQuery {
  kind: "list";
}

export type StateQuery = StatePageQuery | StateDiffQuery | StateSeriesQuery | StateListQuery;

export interface StateRow {
  key: string;
  value: string;
  /** The state as plain data (JSON-safe, bounded): its fields become the table's columns. */
  data?: unknown;
  /** The batch in which the key's value last changed. */
  updatedMs: number;
  /** Set when the newest batch added or updated the key. */
  change?: "added" | "updated";
  /** With a timeout: when the key times out unless it is updated before (mapWithState's timeout). */
  timesOutAtMs?: number;
}

export interface StatePage {
  kind: "page";
  streamId: string;
  batchTimeMs?: number;
  /** Keys in the snapshot; `matched` of them pass the search. */
  total: number;
  matched: number;
  offset: number;
  rows: StateRow[];
  counts?: StateChangeCounts;
  /** Batches whose changes are retained, so diffs may start at the first and end at any of them. */
  batches: number[];
}

export type StateChange = "added" | "updated" | "removed" | "timedOut";

export interface StateDiffRow {
  key: string;
  before?: string;
  after?: string;
  change: StateChange;
}

export interface StateDiff {
  kind: "diff";
  streamId: string;
  fromBatchMs: number;
  toBatchMs: number;
  total: number;
  offset: number;
  rows: StateDiffRow[];
  counts: Omit<StateChangeCounts, "total">;
}

export interface StateSeries {
  kind: "series";
  streamId: string;
  keys: string[];
  /** The state object's field the values are (its first numeric one); absent when the states are numbers. */
  field?: string;
  /** Oldest first; a key absent from a point had no state (or no numeric state) then. */
  points: { batchTimeMs: number; values: Record<string, number> }[];
}

export interface StateStreamInfo {
  streamId: string;
  nodeId: string;
  kind: string;
  label: string;
  keys: number;
  batchTimeMs?: number;
  timeoutMs?: number;
}

export interface StateList {
  kind: "list";
  streams: StateStreamInfo[];
}

export type StateResult = StatePage | StateDiff | StateSeries | StateList;

export type StateReply = { ok: true; result: StateResult } | { ok: false; error: string };

/** The most rows one page may hold. */
export const MAX_STATE_PAGE = 500;

/** One key of a stored snapshot. */
export interface StoredStateEntry {
  key: string;
  /** The state as text (what the table searches). */
  value: string;
  /** The state as plain data (JSON-safe, bounded). */
  data: unknown;
  updatedMs: number;
}

/**
 * The newest snapshot of one state stream, as the run's process sends it to the hub (at stop and
 * every few seconds while it runs) and the database keeps it: plain data only, read back for a run
 * that has ended.
 */
export interface StoredStateSnapshot {
  info: StateStreamInfo;
  batchTimeMs: number;
  entries: StoredStateEntry[];
  /** Keys left out because the snapshot holds at most MAX_STORED_STATE_KEYS. */
  truncated: number;
}

/** The most keys a stored snapshot holds per stream. */
export const MAX_STORED_STATE_KEYS = 20_000;
