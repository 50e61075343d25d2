import type { Database } from "../db/client";
import type { TrackedStreams } from "./state/answer";
import { StateTracker } from "./state/StateTracker";
import { MAX_STORED_STATE_KEYS, type StateStreamInfo, type StoredStateEntry, type StoredStateSnapshot } from "./state/types";
import type { BatchSummary, DeadLetterReport, FlagReport, NodeErrorReport, RunTotals } from "./types";

/** A persisted record of a run, newest first when paged. */
export interface StoredItem<T> {
  id: number;
  nodeId: string;
  batchTimeMs: number | null;
  createdAt: string;
  item: T;
}

export interface Paged<T> {
  items: StoredItem<T>[];
  /** Pass as `before` for the next (older) page; absent on the last page. */
  next?: number;
}

export type StoredKind = "deadLetters" | "nodeErrors" | "flags";

/** Which of a run's records to read: one node's, and for flags one account's or one rule's. */
export interface RecordFilter {
  nodeId?: string;
  /** Flags only. */
  account?: string;
  /** Flags only. */
  rule?: string;
}

/** A value of a flag column and how many of the run's flags have it. */
export interface FacetCount {
  value: string;
  count: number;
}

/** The accounts and rules of a run's flags, for the fraud panel's filters. */
export interface FlagFacets {
  accounts: FacetCount[];
  rules: FacetCount[];
}

/** What the database holds of a run's history, read back when it is resumed after a restart. */
export interface RunHistory {
  batches: BatchSummary[];
  totals?: RunTotals;
  deadLetters: DeadLetterReport[];
  nodeErrors: NodeErrorReport[];
  flags: FlagReport[];
}

interface Pending {
  deadLetters: { runId: string; pipelineId: string | null; nodeId: string; batchTimeMs: number; payload: string }[];
  nodeErrors: { runId: string; pipelineId: string | null; nodeId: string; batchTimeMs: number | null; payload: string }[];
  flags: { runId: string; pipelineId: string | null; nodeId: string; batchTimeMs: number; account: string; rule: string; traceKey: string; payload: string }[];
  batches: Map<string, { runId: string; batchTimeMs: number; payload: string }>;
  /** The newest state snapshot per run and stream. */
  states: Map<string, { runId: string; streamId: string; batchTimeMs: number; payload: string }>;
}

export interface RunStoreOptions {
  /** Writes are gathered and made at most this often (ms). */
  flushIntervalMs?: number;
  /** At most this many dead letters, node errors or flags per run, node and batch reach the database. */
  capPerBatch?: number;
  /** Batch summaries kept per run. */
  keepBatches?: number;
}

/** What makes a flag the same flag when a recovered run raises it again. */
const traceKey = (r: FlagReport): string => [r.nodeId, r.batchTimeMs, r.flag.account, r.flag.rule, r.flag.txIds.join(" ")].join("|");

const emptyPending = (): Pending => ({ deadLetters: [], nodeErrors: [], flags: [], batches: new Map(), states: new Map() });

/** Stored snapshots read back, kept for this many runs (a reader pages through one run's state). */
const KEEP_READ_STATES = 8;

/**
 * A snapshot as the run's process sent it, checked field by field (the process runs user code, so
 * its messages are data to check); undefined when it is not one.
 */
export function checkedSnapshot(s: unknown): StoredStateSnapshot | undefined {
  if (s === null || typeof s !== "object") return undefined;
  const { info, batchTimeMs, entries, truncated } = s as Record<string, unknown>;
  if (info === null || typeof info !== "object" || typeof (info as StateStreamInfo).streamId !== "string") return undefined;
  if (typeof batchTimeMs !== "number" || !Number.isFinite(batchTimeMs) || !Array.isArray(entries)) return undefined;
  const kept = entries
    .slice(0, MAX_STORED_STATE_KEYS)
    .filter((e): e is StoredStateEntry => e !== null && typeof e === "object" && typeof (e as StoredStateEntry).key === "string" && typeof (e as StoredStateEntry).value === "string");
  const i = info as StateStreamInfo;
  return {
    info: { streamId: i.streamId, nodeId: String(i.nodeId), kind: String(i.kind), label: String(i.label), keys: Number(i.keys) || kept.length, batchTimeMs, timeoutMs: typeof i.timeoutMs === "number" ? i.timeoutMs : undefined },
    batchTimeMs,
    entries: kept,
    truncated: (typeof truncated === "number" && truncated > 0 ? truncated : 0) + entries.length - kept.length,
  };
}

/**
 * Persists what a run produced that must survive a restart (dead letters, node errors, fraud
 * flags, completed batch summaries), in batched writes off the hot path, and pages it back.
 * A flood of bad records costs one write per interval and at most `capPerBatch` rows per batch.
 */
export class RunStore {
  private pending = emptyPending();
  private readonly perBatch = new Map<string, number>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private writing: Promise<void> = Promise.resolve();
  private readonly flushIntervalMs: number;
  private readonly capPerBatch: number;
  private readonly keepBatches: number;
  private readonly batchesSincePrune = new Map<string, number>();
  /** Records left out by the caps (here and in the run's thread), per kind and run, since the server started. */
  private readonly droppedRecords = new Map<string, number>();
  /** Stored state snapshots read back, by run (oldest read first). */
  private readonly readStates = new Map<string, Promise<TrackedStreams>>();

  constructor(
    private readonly db: Database,
    opts: RunStoreOptions = {},
  ) {
    this.flushIntervalMs = opts.flushIntervalMs ?? 500;
    this.capPerBatch = opts.capPerBatch ?? 100;
    this.keepBatches = opts.keepBatches ?? 1000;
  }

  private admit(kind: StoredKind, runId: string, nodeId: string, batchTimeMs: number | null): boolean {
    const key = `${kind}|${runId}|${nodeId}|${batchTimeMs ?? ""}`;
    const n = this.perBatch.get(key) ?? 0;
    if (n >= this.capPerBatch) {
      this.noteDropped(kind, runId, 1);
      return false;
    }
    this.perBatch.set(key, n + 1);
    return true;
  }

  deadLetters(runId: string, pipelineId: string | null, reports: readonly DeadLetterReport[]): void {
    for (const r of reports) {
      if (!this.admit("deadLetters", runId, r.nodeId, r.batchTimeMs)) continue;
      this.pending.deadLetters.push({ runId, pipelineId, nodeId: r.nodeId, batchTimeMs: r.batchTimeMs, payload: JSON.stringify(r) });
    }
    this.schedule();
  }

  nodeError(runId: string, pipelineId: string | null, r: NodeErrorReport): void {
    if (!this.admit("nodeErrors", runId, r.nodeId, r.batchTimeMs ?? null)) return;
    this.pending.nodeErrors.push({ runId, pipelineId, nodeId: r.nodeId, batchTimeMs: r.batchTimeMs ?? null, payload: JSON.stringify(r) });
    this.schedule();
  }

  /** Resolves when the flags are in the database (or their write failed and was logged). */
  flags(runId: string, pipelineId: string | null, reports: readonly FlagReport[]): Promise<void> {
    for (const r of reports) {
      if (!this.admit("flags", runId, r.nodeId, r.batchTimeMs)) continue;
      this.pending.flags.push({ runId, pipelineId, nodeId: r.nodeId, batchTimeMs: r.batchTimeMs, account: r.flag.account, rule: r.flag.rule, traceKey: traceKey(r), payload: JSON.stringify(r) });
    }
    // Flags are few and matter: written at once, and the run waits for them (see worker.ts).
    return this.flush();
  }

  /** Counts records a cap left out (the run's thread caps flags per batch before they get here). */
  noteDropped(kind: StoredKind, runId: string, n: number): void {
    if (n > 0) this.droppedRecords.set(`${kind}|${runId}`, (this.droppedRecords.get(`${kind}|${runId}`) ?? 0) + n);
  }

  /** How many of a run's records of a kind the caps left out since the server started. */
  dropped(kind: StoredKind, runId: string): number {
    return this.droppedRecords.get(`${kind}|${runId}`) ?? 0;
  }

  /** A completed batch, without its sampled records (they are for the live view only). */
  batch(runId: string, summary: BatchSummary, totals: RunTotals): void {
    const { samples: _s, streamNames: _n, windows: _w, ...kept } = summary;
    this.pending.batches.set(`${runId}|${summary.batchTimeMs}`, {
      runId,
      batchTimeMs: summary.batchTimeMs,
      payload: JSON.stringify({ summary: kept, totals }),
    });
    this.schedule();
  }

  /** The newest state of a run's state streams: replaces the stored one, written with the next flush. */
  stateSnapshots(runId: string, snapshots: readonly unknown[]): void {
    for (const raw of snapshots) {
      const snap = checkedSnapshot(raw);
      if (!snap) continue;
      this.pending.states.set(`${runId}|${snap.info.streamId}`, { runId, streamId: snap.info.streamId, batchTimeMs: snap.batchTimeMs, payload: JSON.stringify(snap) });
    }
    this.readStates.delete(runId);
    this.schedule();
  }

  /**
   * A run's stored state snapshots as trackers that answer the dashboard's queries (paged,
   * searched, sorted); empty when the run stored none. Pending writes are made first.
   */
  async storedState(runId: string): Promise<TrackedStreams> {
    await this.flush();
    let read = this.readStates.get(runId);
    if (!read) {
      read = this.readState(runId);
      this.readStates.set(runId, read);
      read.catch(() => this.readStates.delete(runId));
      while (this.readStates.size > KEEP_READ_STATES) this.readStates.delete(this.readStates.keys().next().value!);
    }
    return read;
  }

  private async readState(runId: string): Promise<TrackedStreams> {
    const rows = await this.db.runState.findMany({ where: { runId }, orderBy: { streamId: "asc" } });
    const out = new Map<string, { tracker: StateTracker; info: StateStreamInfo }>();
    for (const row of rows) {
      let snap: StoredStateSnapshot | undefined;
      try {
        snap = checkedSnapshot(JSON.parse(row.payload));
      } catch {
        snap = undefined;
      }
      if (!snap) {
        console.error(`run store: the stored state of run ${runId}, stream ${row.streamId} is unreadable; left out`);
        continue;
      }
      const tracker = StateTracker.restore(snap.batchTimeMs, snap.entries, { timeoutMs: snap.info.timeoutMs });
      out.set(snap.info.streamId, { tracker, info: { ...snap.info, keys: snap.entries.length + snap.truncated } });
    }
    return out;
  }

  private schedule(): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.flushIntervalMs);
  }

  /** Writes what is pending; resolves when it is in the database. Writes never overlap. */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    const batch = this.pending;
    this.pending = emptyPending();
    // The per-batch caps are only needed while a batch's records arrive; forget old ones.
    if (this.perBatch.size > 10_000) this.perBatch.clear();
    this.writing = this.writing.then(() => this.write(batch)).catch((e: Error) => console.error(`run store: a write failed: ${e.message}`));
    return this.writing;
  }

  private async write(p: Pending): Promise<void> {
    if (p.deadLetters.length) await this.db.deadLetter.createMany({ data: p.deadLetters });
    if (p.nodeErrors.length) await this.db.nodeError.createMany({ data: p.nodeErrors });
    if (p.flags.length) await this.writeFlags(p.flags);
    for (const row of p.states.values()) {
      await this.db.runState.upsert({
        where: { runId_streamId: { runId: row.runId, streamId: row.streamId } },
        create: row,
        update: { batchTimeMs: row.batchTimeMs, payload: row.payload },
      });
    }
    for (const row of p.batches.values()) {
      await this.db.batchMetric.upsert({
        where: { runId_batchTimeMs: { runId: row.runId, batchTimeMs: row.batchTimeMs } },
        create: row,
        update: { payload: row.payload },
      });
      const n = (this.batchesSincePrune.get(row.runId) ?? 0) + 1;
      this.batchesSincePrune.set(row.runId, n);
      if (n >= 50) {
        this.batchesSincePrune.set(row.runId, 0);
        await this.prune(row.runId);
      }
    }
  }

  /**
   * Flags are written once: a run recovered from its checkpoint computes again the batches after
   * it, and raises their flags again (Spark's outputs are at-least-once); those already stored,
   * known by their trace key, are left out.
   */
  private async writeFlags(rows: Pending["flags"]): Promise<void> {
    const fresh = new Map<string, Pending["flags"][number]>();
    for (const row of rows) fresh.set(`${row.runId}|${row.traceKey}`, row);
    for (const runId of new Set(rows.map((r) => r.runId))) {
      const keys = rows.filter((r) => r.runId === runId).map((r) => r.traceKey);
      const stored = await this.db.flag.findMany({ where: { runId, traceKey: { in: keys } }, select: { traceKey: true } });
      for (const { traceKey } of stored) fresh.delete(`${runId}|${traceKey}`);
    }
    if (fresh.size) await this.db.flag.createMany({ data: [...fresh.values()] });
  }

  /** Keeps the newest `keepBatches` summaries of a run. */
  private async prune(runId: string): Promise<void> {
    const edge = await this.db.batchMetric.findMany({
      where: { runId },
      orderBy: { batchTimeMs: "desc" },
      skip: this.keepBatches - 1,
      take: 1,
      select: { batchTimeMs: true },
    });
    if (edge[0]) await this.db.batchMetric.deleteMany({ where: { runId, batchTimeMs: { lt: edge[0].batchTimeMs } } });
  }

  /** The `where` of a run's records under a filter; account and rule exist on flags only. */
  private where(kind: StoredKind, runId: string, filter: RecordFilter) {
    return {
      runId,
      ...(filter.nodeId ? { nodeId: filter.nodeId } : {}),
      ...(kind === "flags" && filter.account ? { account: filter.account } : {}),
      ...(kind === "flags" && filter.rule ? { rule: filter.rule } : {}),
    };
  }

  /** One page of a run's dead letters, node errors or flags, newest first. */
  async page<T>(kind: StoredKind, runId: string, opts: RecordFilter & { before?: number; limit?: number } = {}): Promise<Paged<T>> {
    const limit = Math.max(1, Math.min(opts.limit ?? 50, 500));
    const args = {
      where: { ...this.where(kind, runId, opts), ...(opts.before !== undefined ? { id: { lt: opts.before } } : {}) },
      orderBy: { id: "desc" as const },
      take: limit + 1,
    };
    const rows =
      kind === "deadLetters"
        ? await this.db.deadLetter.findMany(args)
        : kind === "nodeErrors"
          ? await this.db.nodeError.findMany(args)
          : await this.db.flag.findMany(args);
    const items = rows.slice(0, limit).map((r) => ({
      id: r.id,
      nodeId: r.nodeId,
      batchTimeMs: r.batchTimeMs,
      createdAt: r.createdAt.toISOString(),
      item: JSON.parse(r.payload) as T,
    }));
    return rows.length > limit ? { items, next: items[items.length - 1].id } : { items };
  }

  async count(kind: StoredKind, runId: string, filter: RecordFilter = {}): Promise<number> {
    const where = { where: this.where(kind, runId, filter) };
    return kind === "deadLetters" ? this.db.deadLetter.count(where) : kind === "nodeErrors" ? this.db.nodeError.count(where) : this.db.flag.count(where);
  }

  /** Every account and rule among a run's flags, with counts, most flagged first. */
  async flagFacets(runId: string): Promise<FlagFacets> {
    const [accounts, rules] = await Promise.all([
      this.db.flag.groupBy({ by: ["account"], where: { runId }, _count: { _all: true } }),
      this.db.flag.groupBy({ by: ["rule"], where: { runId }, _count: { _all: true } }),
    ]);
    const sorted = (xs: FacetCount[]) => xs.sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
    return {
      accounts: sorted(accounts.map((a) => ({ value: a.account, count: a._count._all }))),
      rules: sorted(rules.map((r) => ({ value: r.rule, count: r._count._all }))),
    };
  }

  /** What a resumed run starts from: its newest batch summaries, totals and recent records. */
  async history(runId: string, recent = 200): Promise<RunHistory> {
    const recentOf = async <T>(kind: StoredKind) => (await this.page<T>(kind, runId, { limit: recent })).items.map((i) => i.item).reverse();
    return {
      ...(await this.batchHistory(runId)),
      deadLetters: await recentOf<DeadLetterReport>("deadLetters"),
      nodeErrors: await recentOf<NodeErrorReport>("nodeErrors"),
      flags: await recentOf<FlagReport>("flags"),
    };
  }

  /** The kept summaries of a run's completed batches, oldest first, and its newest totals. */
  async batchHistory(runId: string): Promise<Pick<RunHistory, "batches" | "totals">> {
    const rows = await this.db.batchMetric.findMany({ where: { runId }, orderBy: { batchTimeMs: "desc" }, take: this.keepBatches });
    const parsed = rows.map((r) => JSON.parse(r.payload) as { summary: BatchSummary; totals?: RunTotals });
    return { batches: parsed.map((p) => p.summary).reverse(), totals: parsed[0]?.totals };
  }
}
