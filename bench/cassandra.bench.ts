/**
 * Cassandra figures, on a server this module starts and stops itself (free ports, temporary data;
 * CASSANDRA_BENCH_CONTACT=host:port uses one that runs already):
 * - the start: from launching the JVM to CQL answering (a fresh data folder);
 * - writing a 1,000,000-row historic table (prepared INSERTs, 64 in flight);
 * - loading it for a lookup join: the paged read (5,000 rows a page) into the join's Map;
 * - the per-batch cost of the join against it: batches of 10,000 [account, amount] pairs, accounts
 *   drawn from the table's keys, joined on a manual clock (the table read once, before batch 1),
 *   and the same batches without the join, so that the join's own share shows.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import cassandra from "cassandra-driver";
import type { BenchModule } from "./index";
import { ManualClock, Milliseconds } from "../engine/index";
import { compilePipeline } from "../engine/pipeline/compile";
import { PIPELINE_SCHEMA_VERSION, type PipelineDocument } from "../engine/pipeline/document";
import { cassandraClient } from "../engine/sources/cassandra/CassandraConnection";
import { cassandraPipelineEnvironment } from "../engine/sources/cassandra/pipelineEnvironment";
import { readCassandraTable } from "../engine/sources/cassandra/readTable";
import { freeCassandraPort, startCassandra, stopCassandra } from "../scripts/cassandra/server.mjs";

const ROWS = 1_000_000;
const BATCH_RECORDS = 10_000;
const BATCHES = 10;

const account = (i: number) => `acct-${String(i).padStart(7, "0")}`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function writeTable(client: cassandra.Client): Promise<number> {
  await client.execute("CREATE KEYSPACE IF NOT EXISTS bench WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
  await client.execute("DROP TABLE IF EXISTS bench.historic");
  await client.execute("CREATE TABLE bench.historic (account_number text PRIMARY KEY, average_transaction double)");
  const t0 = performance.now();
  const params = Array.from({ length: ROWS }, (_, i) => [account(i), (i % 1000) + 0.5]);
  await cassandra.concurrent.executeConcurrent(client, "INSERT INTO bench.historic (account_number, average_transaction) VALUES (?, ?)", params, { concurrencyLevel: 64 });
  return performance.now() - t0;
}

/** Runs the batches through mapToPair and, with `join`, the lookup join; the time of each batch. */
async function joinBatches(contactPoint: string, join = true): Promise<{ firstMs: number; batchMs: number[] }> {
  let seed = 7;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const batches = Array.from({ length: BATCHES + 1 }, () => Array.from({ length: BATCH_RECORDS }, () => [account(Math.floor(random() * ROWS)), random() * 100]));
  const document: PipelineDocument = {
    schemaVersion: PIPELINE_SCHEMA_VERSION,
    name: "bench",
    description: "",
    settings: { batchIntervalMs: 1000, checkpointing: { enabled: false }, concurrentJobs: 1 },
    nodes: [
      { id: "in", kind: "queue", position: { x: 0, y: 0 }, config: { batches, oneAtATime: true } },
      { id: "pairs", kind: "mapToPair", position: { x: 0, y: 0 }, config: { fn: "(r) => r" } },
      ...(join ? [{ id: "join", kind: "lookupJoin", position: { x: 0, y: 0 }, config: { source: "cassandra", contactPoints: [contactPoint], keyspace: "bench", table: "historic" } }] : []),
      { id: "out", kind: "deadLetters", position: { x: 0, y: 0 }, config: {} },
    ],
    edges: [
      { id: "e1", source: "in", sourcePort: "out", target: "pairs", targetPort: "in" },
      ...(join
        ? [
            { id: "e2", source: "pairs", sourcePort: "out", target: "join", targetPort: "in" },
            { id: "e3", source: "join", sourcePort: "out", target: "out", targetPort: "in" },
          ]
        : [{ id: "e2", source: "pairs", sourcePort: "out", target: "out", targetPort: "in" }]),
    ],
  };
  const clock = new ManualClock(0);
  let joined = 0;
  const { ssc } = compilePipeline(document, { clock, cassandra: cassandraPipelineEnvironment(), sinks: { deadLetters: (_n, records) => void (joined += records.length) } });
  ssc.start();
  const times: number[] = [];
  try {
    for (let i = 0; i <= BATCHES; i++) {
      const t0 = performance.now();
      clock.advance(Milliseconds(1000));
      await ssc.awaitBatchesDue();
      times.push(performance.now() - t0);
    }
  } finally {
    await ssc.stop();
  }
  if (joined !== (BATCHES + 1) * BATCH_RECORDS) throw new Error(`the ${join ? "join" : "pipeline"} emitted ${joined} records, expected ${(BATCHES + 1) * BATCH_RECORDS}`);
  return { firstMs: times[0], batchMs: times.slice(1) };
}

const bench: BenchModule = {
  title: "Cassandra",
  async run() {
    let contactPoint = process.env.CASSANDRA_BENCH_CONTACT;
    let dataDir: string | undefined;
    if (!contactPoint) {
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "dstream-cassandra-bench-"));
      const server = await startCassandra({ port: await freeCassandraPort(), dataDir, log: () => {} });
      contactPoint = server.contactPoint;
      console.log(`| start (JVM launch to CQL answering, fresh data folder) | ${(server.startedInMs / 1000).toFixed(1)} s |`);
    }
    const client = cassandraClient({ contactPoints: [contactPoint], localDataCenter: "datacenter1" });
    try {
      const writeMs = await writeTable(client);
      console.log(`| writing ${ROWS.toLocaleString("en")} rows (prepared INSERTs, 64 in flight) | ${(writeMs / 1000).toFixed(1)} s (${Math.round(ROWS / (writeMs / 1000)).toLocaleString("en")} rows/s) |`);
      const loads: number[] = [];
      for (let i = 0; i < 3; i++) {
        const t0 = performance.now();
        const rows = await readCassandraTable(client, { keyspace: "bench", table: "historic", keyColumn: "account_number", valueColumns: ["average_transaction"] });
        const map = new Map(rows.map((r) => [r.account_number, r.average_transaction]));
        loads.push(performance.now() - t0);
        if (map.size !== ROWS) throw new Error(`read ${map.size} rows, expected ${ROWS}`);
      }
      console.log(`| loading the ${ROWS.toLocaleString("en")}-row table (paged, 5,000 rows a page) into a Map, median of 3 | ${(median(loads) / 1000).toFixed(1)} s (runs: ${loads.map((x) => (x / 1000).toFixed(1)).join(", ")} s) |`);
      const join = await joinBatches(contactPoint);
      console.log(`| first batch of ${BATCH_RECORDS.toLocaleString("en")} pairs, the table's read included | ${(join.firstMs / 1000).toFixed(1)} s |`);
      console.log(`| each later batch of ${BATCH_RECORDS.toLocaleString("en")} pairs joined against it, median of ${BATCHES} (min–max) | ${median(join.batchMs).toFixed(0)} ms (${Math.min(...join.batchMs).toFixed(0)}–${Math.max(...join.batchMs).toFixed(0)} ms) |`);
      // The same batches without the join: what the rest of the batch costs, so the join's share shows.
      const baseline = await joinBatches(contactPoint, false);
      console.log(`| the same batches without the join (queue, mapToPair, capture), median of ${BATCHES} (min–max) | ${median(baseline.batchMs).toFixed(0)} ms (${Math.min(...baseline.batchMs).toFixed(0)}–${Math.max(...baseline.batchMs).toFixed(0)} ms) |`);
      console.log(`| the join's share of a batch (difference of the medians) | ${(median(join.batchMs) - median(baseline.batchMs)).toFixed(0)} ms |`);
      await client.execute("DROP KEYSPACE IF EXISTS bench");
    } finally {
      await client.shutdown();
      if (dataDir) {
        await stopCassandra({ dataDir, log: () => {} });
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
    }
  },
};
export default bench;
