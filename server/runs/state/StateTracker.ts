import { formatRecord } from "../../../engine/sinks/format";
import {
  MAX_STATE_PAGE,
  type StateChange,
  type StateChangeCounts,
  type StateDiff,
  type StateDiffQuery,
  type StateDiffRow,
  type StatePage,
  type StatePageQuery,
  type StateRow,
  type StateSeries,
  type StoredStateEntry,
} from "./types";
import { plainData } from "./plainData";

interface Entry {
  key: string;
  /** The state object as the engine holds it: an unchanged reference skips formatting. */
  raw: unknown;
  value: string;
  num: number | undefined;
  updatedMs: number;
}

interface ChangeSet {
  batchTimeMs: number;
  /** Key → the value before and after this batch (undefined: absent). */
  changes: Map<string, { before?: string; after?: string; timedOut?: boolean }>;
  counts: StateChangeCounts;
}

export interface StateTrackerOptions {
  /** mapWithState's timeout (ms), when the node sets one. */
  timeoutMs?: number;
  /** Change sets kept for diffs and highlights, at most this many batches... */
  maxBatches?: number;
  /** ...and at most this many changed keys over all of them (a huge state keeps fewer batches). */
  maxChangeEntries?: number;
  /** Batches of top-key values kept for the chart. */
  maxSeriesBatches?: number;
}

const MAX_TEXT = 300;
const text = (v: unknown): string => {
  let t: string;
  try {
    t = formatRecord(v);
  } catch (e) {
    t = `<unprintable: ${(e as Error).message}>`;
  }
  return t.length > MAX_TEXT ? t.slice(0, MAX_TEXT - 1) + "…" : t;
};

/** The number a state stands for, for sorting and charts: a number, or an object's first numeric field. */
export function numericOf(v: unknown): number | undefined {
  if (typeof v === "number") return Number.isFinite(v) ? v : undefined;
  if (Array.isArray(v)) return undefined;
  if (v !== null && typeof v === "object") {
    for (const x of Object.values(v)) if (typeof x === "number" && Number.isFinite(x)) return x;
  }
  return undefined;
}

/** The field `numericOf` reads from a state object (undefined for a plain number or no number). */
export function numericFieldOf(v: unknown): string | undefined {
  if (v === null || typeof v !== "object" || Array.isArray(v)) return undefined;
  for (const [k, x] of Object.entries(v)) if (typeof x === "number" && Number.isFinite(x)) return k;
  return undefined;
}

/**
 * The state of one stateful stream, fed each batch's whole snapshot (`[key, state]` pairs:
 * updateStateByKey's output, mapWithState's stateSnapshots()). Keeps the newest snapshot, each
 * recent batch's changes (for highlights and diffs between any two retained batches) and the top
 * keys' values over time; answers paged, sorted, searched queries so that only a page leaves it.
 */
export class StateTracker {
  private entries = new Map<string, Entry>();
  private readonly history: ChangeSet[] = [];
  private changeEntries = 0;
  private readonly series: { batchTimeMs: number; top: [string, number][] }[] = [];
  private lastBatchMs: number | undefined;
  /** Sorted keys of the newest snapshot for one sort order, reused until the next batch. */
  private sorted: { order: string; keys: Entry[] } | undefined;
  private readonly maxBatches: number;
  private readonly maxChangeEntries: number;
  private readonly maxSeriesBatches: number;

  constructor(private readonly opts: StateTrackerOptions = {}) {
    this.maxBatches = opts.maxBatches ?? 120;
    this.maxChangeEntries = opts.maxChangeEntries ?? 2_000_000;
    this.maxSeriesBatches = opts.maxSeriesBatches ?? 1000;
  }

  get size(): number {
    return this.entries.size;
  }

  get batchTimeMs(): number | undefined {
    return this.lastBatchMs;
  }

  /** Folds in one batch's whole snapshot; returns what the batch changed. */
  apply(batchTimeMs: number, pairs: Iterable<unknown>): StateChangeCounts {
    const next = new Map<string, Entry>();
    const changes: ChangeSet["changes"] = new Map();
    const counts: StateChangeCounts = { added: 0, updated: 0, removed: 0, timedOut: 0, total: 0 };
    for (const pair of pairs) {
      const [k, v] = Array.isArray(pair) && pair.length === 2 ? pair : [pair, undefined];
      const key = typeof k === "string" ? k : text(k);
      const old = this.entries.get(key);
      if (old && old.raw === v) {
        next.set(key, old);
        continue;
      }
      const value = text(v);
      if (old && old.value === value) {
        next.set(key, { ...old, raw: v });
        continue;
      }
      next.set(key, { key, raw: v, value, num: numericOf(v), updatedMs: batchTimeMs });
      changes.set(key, { before: old?.value, after: value });
      if (old) counts.updated++;
      else counts.added++;
    }
    for (const [key, old] of this.entries) {
      if (next.has(key)) continue;
      const timedOut = this.opts.timeoutMs !== undefined && batchTimeMs - old.updatedMs >= this.opts.timeoutMs;
      changes.set(key, { before: old.value, timedOut });
      if (timedOut) counts.timedOut++;
      else counts.removed++;
    }
    counts.total = next.size;
    this.entries = next;
    this.lastBatchMs = batchTimeMs;
    this.sorted = undefined;
    this.remember({ batchTimeMs, changes, counts });
    this.rememberTop(batchTimeMs);
    return counts;
  }

  private remember(set: ChangeSet): void {
    this.history.push(set);
    this.changeEntries += set.changes.size;
    while (this.history.length > 1 && (this.history.length > this.maxBatches || this.changeEntries > this.maxChangeEntries)) {
      this.changeEntries -= this.history.shift()!.changes.size;
    }
  }

  private rememberTop(batchTimeMs: number, keep = 20): void {
    const top: [string, number][] = [];
    for (const e of this.entries.values()) {
      if (e.num === undefined) continue;
      if (top.length < keep) {
        top.push([e.key, e.num]);
        if (top.length === keep) top.sort((a, b) => b[1] - a[1]);
      } else if (e.num > top[keep - 1][1]) {
        top[keep - 1] = [e.key, e.num];
        top.sort((a, b) => b[1] - a[1]);
      }
    }
    top.sort((a, b) => b[1] - a[1]);
    this.series.push({ batchTimeMs, top });
    if (this.series.length > this.maxSeriesBatches) this.series.shift();
  }

  /** The newest snapshot as plain data, at most `maxKeys` keys (in key order), for storing. */
  export(maxKeys: number): { batchTimeMs: number | undefined; entries: StoredStateEntry[]; truncated: number } {
    const keys = this.sortedEntries("key", false);
    const entries = keys.slice(0, maxKeys).map((e) => ({ key: e.key, value: e.value, data: plainData(e.raw), updatedMs: e.updatedMs }));
    return { batchTimeMs: this.lastBatchMs, entries, truncated: Math.max(0, keys.length - maxKeys) };
  }

  /**
   * A tracker holding a stored snapshot (of a run that has ended): pages, search and sort work on
   * it as on a live one; diffs and the chart have that one batch only.
   */
  static restore(batchTimeMs: number, entries: readonly StoredStateEntry[], opts: StateTrackerOptions = {}): StateTracker {
    const t = new StateTracker(opts);
    for (const e of entries) {
      if (typeof e?.key !== "string") continue;
      const updatedMs = typeof e.updatedMs === "number" ? e.updatedMs : batchTimeMs;
      t.entries.set(e.key, { key: e.key, raw: e.data, value: typeof e.value === "string" ? e.value : text(e.data), num: numericOf(e.data), updatedMs });
    }
    t.lastBatchMs = batchTimeMs;
    t.rememberTop(batchTimeMs);
    return t;
  }

  /** Batches whose change sets are retained, oldest first. */
  retainedBatches(): number[] {
    return this.history.map((h) => h.batchTimeMs);
  }

  page(q: StatePageQuery): StatePage {
    const limit = Math.max(1, Math.min(q.limit ?? 50, MAX_STATE_PAGE));
    const offset = Math.max(0, q.offset ?? 0);
    const newest = this.history[this.history.length - 1];
    const changed = newest?.batchTimeMs === this.lastBatchMs ? newest.changes : undefined;
    let keys = this.sortedEntries(q.sort ?? "key", q.desc ?? false);
    const needle = q.search?.trim().toLowerCase();
    if (needle) keys = keys.filter((e) => e.key.toLowerCase().includes(needle) || e.value.toLowerCase().includes(needle));
    if (q.changedOnly) keys = keys.filter((e) => changed?.get(e.key)?.after !== undefined);
    const rows: StateRow[] = keys.slice(offset, offset + limit).map((e) => {
      const c = changed?.get(e.key);
      const row: StateRow = { key: e.key, value: e.value, data: plainData(e.raw), updatedMs: e.updatedMs };
      if (c?.after !== undefined) row.change = c.before === undefined ? "added" : "updated";
      if (this.opts.timeoutMs !== undefined) row.timesOutAtMs = e.updatedMs + this.opts.timeoutMs;
      return row;
    });
    return {
      kind: "page",
      streamId: q.streamId,
      batchTimeMs: this.lastBatchMs,
      total: this.entries.size,
      matched: keys.length,
      offset,
      rows,
      counts: newest?.counts,
      batches: this.retainedBatches(),
    };
  }

  private sortedEntries(sort: string, desc: boolean): Entry[] {
    const order = `${sort}:${desc}`;
    if (this.sorted?.order === order) return this.sorted.keys;
    const byKey = (a: Entry, b: Entry) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
    const compare =
      sort === "value"
        ? (a: Entry, b: Entry) =>
            a.num !== undefined && b.num !== undefined ? a.num - b.num : a.value < b.value ? -1 : a.value > b.value ? 1 : byKey(a, b)
        : sort === "updated"
          ? (a: Entry, b: Entry) => a.updatedMs - b.updatedMs || byKey(a, b)
          : byKey;
    const keys = [...this.entries.values()].sort(desc ? (a, b) => compare(b, a) : compare);
    this.sorted = { order, keys };
    return keys;
  }

  /**
   * The changes from the snapshot after `fromBatchMs` to the one after `toBatchMs`, composed from
   * the retained change sets; a key changed and changed back is left out.
   */
  diff(q: StateDiffQuery): StateDiff {
    const [from, to] = q.fromBatchMs <= q.toBatchMs ? [q.fromBatchMs, q.toBatchMs] : [q.toBatchMs, q.fromBatchMs];
    const retained = this.retainedBatches();
    // The snapshot after `from` is known if `from` is retained, or is the batch just before the oldest retained one.
    if (retained.length === 0 || !retained.includes(to)) {
      throw new Error(`state of stream "${q.streamId}": batch ${to} is not retained (retained: ${describe(retained)})`);
    }
    if (from !== to && !retained.includes(from)) {
      throw new Error(`state of stream "${q.streamId}": batch ${from} is not retained (retained: ${describe(retained)})`);
    }
    const composed = new Map<string, { before?: string; after?: string; timedOut?: boolean }>();
    for (const set of this.history) {
      if (set.batchTimeMs <= from || set.batchTimeMs > to) continue;
      for (const [key, c] of set.changes) {
        const prev = composed.get(key);
        if (prev) {
          prev.after = c.after;
          prev.timedOut = c.timedOut;
        } else composed.set(key, { before: c.before, after: c.after, timedOut: c.timedOut });
      }
    }
    const rows: StateDiffRow[] = [];
    const counts = { added: 0, updated: 0, removed: 0, timedOut: 0 };
    for (const [key, c] of composed) {
      let change: StateChange;
      if (c.before === undefined && c.after === undefined) continue;
      if (c.before === undefined) change = "added";
      else if (c.after === undefined) change = c.timedOut ? "timedOut" : "removed";
      else if (c.before === c.after) continue;
      else change = "updated";
      counts[change]++;
      rows.push({ key, before: c.before, after: c.after, change });
    }
    rows.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const limit = Math.max(1, Math.min(q.limit ?? 50, MAX_STATE_PAGE));
    const offset = Math.max(0, q.offset ?? 0);
    return { kind: "diff", streamId: q.streamId, fromBatchMs: from, toBatchMs: to, total: rows.length, offset, rows: rows.slice(offset, offset + limit), counts };
  }

  /** The values of the newest batch's top keys over the retained batches (at most `top` keys). */
  topSeries(streamId: string, top = 5): StateSeries {
    const newest = this.series[this.series.length - 1];
    const keys = (newest?.top ?? []).slice(0, Math.max(1, Math.min(top, 20))).map(([k]) => k);
    const wanted = new Set(keys);
    const points = this.series.map((s) => {
      const values: Record<string, number> = {};
      for (const [k, v] of s.top) if (wanted.has(k)) values[k] = v;
      return { batchTimeMs: s.batchTimeMs, values };
    });
    const first = keys.length ? this.entries.get(keys[0])?.raw : undefined;
    return { kind: "series", streamId, keys, points, field: numericFieldOf(first) };
  }
}

function describe(batches: number[]): string {
  if (batches.length === 0) return "none yet";
  return batches.length === 1 ? `${batches[0]}` : `${batches[0]} to ${batches[batches.length - 1]}`;
}
