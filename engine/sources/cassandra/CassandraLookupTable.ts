import type cassandra from "cassandra-driver";
import type { StreamingContext } from "../../streaming/StreamingContext";
import type { Time } from "../../streaming/Time";
import { backoffDelayMs } from "../kafka/backoff";
import { cassandraErrorText, type CassandraCluster } from "./CassandraConnection";
import { readCassandraTable, type CassandraTableSpec } from "./readTable";

export interface CassandraLookupOptions extends CassandraTableSpec {
  readonly cluster: CassandraCluster;
  /** 0: read once per run and keep it (the article's cached `storedHistoric`); N: read again every N batches. */
  readonly refreshEveryBatches: number;
  /** Rows per page (default 5000). */
  readonly fetchSize?: number;
  /** The node that reads it, for events and errors. */
  readonly nodeId: string;
}

const abortable = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done);
  });

/**
 * A Cassandra table held in memory for a lookup join, keyed by its key column. It is read before
 * the first batch's jobs are generated (the context's batch preparer: the run waits, and says so
 * with a `receiverError` event, while Cassandra is unreachable or the table is missing), and again
 * before every N-th batch when `refreshEveryBatches` is N; a re-read that fails keeps the rows it
 * had and says so. Reading is paged (readCassandraTable).
 */
export class CassandraLookupTable {
  private rows: ReadonlyMap<unknown, Record<string, unknown>> | undefined;
  private lastError: string | undefined;
  readonly name: string;

  constructor(
    private readonly ssc: StreamingContext,
    private readonly client: cassandra.Client,
    readonly options: CassandraLookupOptions,
  ) {
    if (!Number.isInteger(options.refreshEveryBatches) || options.refreshEveryBatches < 0) {
      throw new RangeError(`re-read every N batches must be 0 (once per run) or a positive whole number, got ${options.refreshEveryBatches}`);
    }
    this.name = `Cassandra ${options.keyspace}.${options.table}`;
    ssc.addBatchPreparer((time, signal) => this.prepare(time, signal));
  }

  /** The rows by key, as last read; throws (naming the table and why) if it was never read. */
  current(): ReadonlyMap<unknown, Record<string, unknown>> {
    if (this.rows === undefined) throw new Error(`${this.name} was not read${this.lastError ? `: ${this.lastError}` : ""}`);
    return this.rows;
  }

  /** 1 for the first batch after the zero time. */
  private batchIndex(time: Time): number {
    const zero = this.ssc.graph.zeroTime?.milliseconds ?? 0;
    return Math.round((time.milliseconds - zero) / this.ssc.batchDuration.milliseconds);
  }

  private prepare(time: Time, signal: AbortSignal): Promise<void> | undefined {
    if (this.rows === undefined) return this.readUntilDone(time, signal);
    const n = this.options.refreshEveryBatches;
    if (n > 0 && (this.batchIndex(time) - 1) % n === 0) return this.readOnce(time);
    return undefined;
  }

  private async read(): Promise<void> {
    const rows = await readCassandraTable(this.client, this.options, { fetchSize: this.options.fetchSize });
    const key = this.options.keyColumn.toLowerCase();
    this.rows = new Map(rows.map((row) => [row[key], row]));
    this.lastError = undefined;
  }

  private say(time: Time, message: string): void {
    if (!this.ssc.listenerBus.hasListeners) return;
    this.ssc.listenerBus.post({ type: "receiverError", streamId: `${this.options.nodeId}:out`, receiverName: this.name, timeMs: time.milliseconds, message });
  }

  /** The first read: retried with backoff until it succeeds or the context stops. */
  private async readUntilDone(time: Time, signal: AbortSignal): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.read();
        return;
      } catch (e) {
        this.lastError = cassandraErrorText(e, this.options.cluster);
        if (signal.aborted) return;
        const delay = backoffDelayMs(attempt, 500, 5000);
        this.say(time, `${this.lastError}; batch ${time.milliseconds} waits for the table, next try in ${(delay / 1000).toFixed(1)} s`);
        await abortable(delay, signal);
        if (signal.aborted) return;
      }
    }
  }

  /** A re-read: one try; on failure the rows read before stay. */
  private async readOnce(time: Time): Promise<void> {
    try {
      await this.read();
    } catch (e) {
      this.lastError = cassandraErrorText(e, this.options.cluster);
      this.say(time, `${this.lastError}; re-reading failed, batch ${time.milliseconds} uses the rows read before`);
    }
  }
}
