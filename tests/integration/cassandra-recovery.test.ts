// The Cassandra output across a real recovery: a pipeline writing the article's transactions to a
// Cassandra table runs with checkpointing on, stops after its newest checkpoints were lost (as a
// crash while writing them leaves it), and is recovered from the checkpoint files on disk
// (recoverNewestUsable, as a resumed run does). The recovered run writes again the batches it
// re-runs; the table ends with each transaction once, the same rows as a run that never stopped.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import cassandra from "cassandra-driver";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { recoverNewestUsable } from "@/engine/checkpoint/recovery";
import { compilePipeline } from "@/engine/pipeline/compile";
import type { PipelineDocument } from "@/engine/pipeline/document";
import { cassandraClient } from "@/engine/sources/cassandra/CassandraConnection";
import { cassandraPipelineEnvironment } from "@/engine/sources/cassandra/pipelineEnvironment";
import { DETERMINISTIC_TRANSACTION_COUNT } from "@/engine/sources/transactionLog";
import { Milliseconds } from "@/engine/streaming/Duration";
import { ManualClock } from "@/engine/streaming/ManualClock";
import type { StreamingContext } from "@/engine/streaming/StreamingContext";
import { doc } from "../unit/pipeline/harness";

const contactPoint = inject("cassandraContactPoint");
const KEYSPACE = "recovery_test";
const BATCH_MS = 1000;
// The 101 transactions at 20 times the producer's pace arrive within 13 s: 20 batches take them all.
const BATCHES = 20;
let client: cassandra.Client;
const dirs: string[] = [];

beforeAll(async () => {
  client = cassandraClient({ contactPoints: [contactPoint], localDataCenter: "datacenter1" });
  await client.connect();
  await client.execute(`CREATE KEYSPACE IF NOT EXISTS ${KEYSPACE} WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}`);
  for (const table of ["uninterrupted", "recovered"]) {
    await client.execute(`DROP TABLE IF EXISTS ${KEYSPACE}.${table}`);
    await client.execute(`CREATE TABLE ${KEYSPACE}.${table} (id int PRIMARY KEY, date text, account_number text, amount double, description text)`);
  }
});
afterAll(async () => {
  await client.execute(`DROP KEYSPACE IF EXISTS ${KEYSPACE}`);
  await client.shutdown();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** Generator (deterministic) -> tryConversionToSimpleTransaction -> Cassandra table output. */
const toTable = (table: string): PipelineDocument =>
  doc(
    [
      ["transactions", "transactionGenerator", { mode: "deterministic", timeScale: 20 }],
      ["parse", "parseTransactions"],
      ["out", "cassandraTable", { contactPoints: [contactPoint], keyspace: KEYSPACE, table }],
    ],
    [
      ["transactions", "parse"],
      ["parse", "out"],
    ],
    { batchIntervalMs: BATCH_MS, checkpointing: { enabled: true } },
  );

/** Runs the batches due until `untilMs` on the context's manual clock, then stops it. */
async function runUntil(ssc: StreamingContext, clock: ManualClock, untilMs: number): Promise<void> {
  ssc.start();
  try {
    while (clock.getTimeMillis() < untilMs) {
      clock.advance(Milliseconds(BATCH_MS));
      await ssc.awaitBatchesDue();
    }
    if (ssc.reportedError !== undefined) throw ssc.reportedError;
  } finally {
    await ssc.stop();
  }
}

interface Row {
  id: number;
  line: string;
  /** Microseconds since the epoch of the row's last write (CQL WRITETIME). */
  written: number;
}
async function rows(table: string): Promise<Row[]> {
  const result = await client.execute(`SELECT id, account_number, amount, description, WRITETIME(amount) AS written FROM ${KEYSPACE}.${table}`, [], { fetchSize: 1000 });
  return result.rows
    .map((r) => ({ id: r.id as number, line: `${r.id} ${r.account_number} ${r.amount} ${r.description}`, written: Number(r.written) }))
    .sort((a, b) => a.id - b.id);
}

const checkpointFiles = (dir: string) =>
  fs
    .readdirSync(dir)
    .filter((f) => /^checkpoint-\d+$/.test(f))
    .sort((a, b) => Number(a.slice(11)) - Number(b.slice(11)));

describe("the Cassandra output across a recovery from a real checkpoint", () => {
  it("a recovered run writes the batches it re-runs again, and the table holds each row once", async () => {
    const env = () => ({ cassandra: cassandraPipelineEnvironment() });

    // A run that never stops: the rows to expect.
    const straightDir = fs.mkdtempSync(path.join(os.tmpdir(), "cassandra-recovery-straight-"));
    dirs.push(straightDir);
    const straightClock = new ManualClock(0);
    await runUntil(compilePipeline(toTable("uninterrupted"), { clock: straightClock, checkpointDir: straightDir, ...env() }).ssc, straightClock, BATCHES * BATCH_MS);
    const expected = (await rows("uninterrupted")).map((r) => r.line);
    expect(expected).toHaveLength(DETERMINISTIC_TRANSACTION_COUNT);

    // The same pipeline stops after 8 batches.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cassandra-recovery-"));
    dirs.push(dir);
    const d = toTable("recovered");
    const firstClock = new ManualClock(0);
    await runUntil(compilePipeline(d, { clock: firstClock, checkpointDir: dir, ...env() }).ssc, firstClock, 8 * BATCH_MS);
    const beforeCrash = await rows("recovered");
    expect(beforeCrash.length).toBeGreaterThan(0);
    expect(beforeCrash.length).toBeLessThan(DETERMINISTIC_TRANSACTION_COUNT);
    // A crash while writing the newest checkpoint leaves it cut short; the older one verifies.
    const files = checkpointFiles(dir);
    expect(files.at(-1)).toBe(`checkpoint-${8 * BATCH_MS}`);
    const newest = path.join(dir, files.at(-1)!);
    fs.truncateSync(newest, Math.floor(fs.statSync(newest).size / 2));

    // Recovered from the older checkpoint (batch 7 s): batch 8 s, whose rows were written, runs again.
    const restartedAt = Date.now() * 1000;
    const secondClock = new ManualClock(8 * BATCH_MS);
    const outcome = recoverNewestUsable(dir, () => compilePipeline(d, { clock: secondClock, checkpointDir: dir, ...env() }).ssc);
    expect(outcome.kind).toBe("restored");
    if (outcome.kind !== "restored") return;
    expect(outcome.ssc.restoredFrom?.checkpointTimeMs).toBe(7 * BATCH_MS);
    expect(outcome.skipped.map((s) => path.basename(s.file))).toEqual([files.at(-1)]);
    await runUntil(outcome.ssc, secondClock, BATCHES * BATCH_MS);

    const after = await rows("recovered");
    expect(after.map((r) => r.line)).toEqual(expected);
    // Rows the first run wrote were written again by the recovered run (the re-run batches): no duplicates.
    const rewritten = beforeCrash.filter((r) => after.find((a) => a.id === r.id)!.written >= restartedAt);
    expect(rewritten.length).toBeGreaterThan(0);
    expect(rewritten.length).toBeLessThan(beforeCrash.length);
  });
});
