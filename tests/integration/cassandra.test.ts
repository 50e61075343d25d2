// Cassandra, as in the article, against the real server the test setup started
// (setup/cassandra.global.ts, seeded with finances.account_aggregates): the paged table read and
// its named errors, both fraud templates joining the Cassandra table (the same flags as with the
// database table), a table edited between runs and mid-run (re-read every N batches), the
// Cassandra output's idempotent upserts, and a run that waits for a Cassandra that is down at start.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import cassandra from "cassandra-driver";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { cassandraClient } from "@/engine/sources/cassandra/CassandraConnection";
import { cassandraPipelineEnvironment } from "@/engine/sources/cassandra/pipelineEnvironment";
import { readCassandraTable } from "@/engine/sources/cassandra/readTable";
import { cassandraColumnDiagnostics, cassandraLookups, type CassandraInspection } from "@/engine/sources/cassandra/columnDiagnostics";
import { inspectCassandraTable } from "@/engine/sources/cassandra/inspectTable";
import { POST as inspectRoute } from "@/app/api/cassandra/table/route";
import { ManualClock } from "@/engine/streaming/ManualClock";
import { Milliseconds } from "@/engine/streaming/Duration";
import type { StreamingEvent } from "@/engine/streaming/events";
import { compilePipeline } from "@/engine/pipeline/compile";
import { diagnose } from "@/engine/pipeline/diagnostics";
import { parsePipelineDocument } from "@/engine/pipeline/document";
import type { PipelineDocument } from "@/engine/pipeline/document";
import {
  ARTICLE_HISTORIC_AVERAGES,
  fraudArticleKafkaCassandraTemplate,
  fraudArticleMapWithStateKafkaCassandraTemplate,
  fraudMapWithStateTemplate,
  fraudUpdateStateByKeyTemplate,
  historicAverageRows,
  HISTORIC_AVERAGES_TABLE,
} from "@/engine/pipeline/samples";
import { doc, runDoc } from "../unit/pipeline/harness";

const contactPoint = inject("cassandraContactPoint");
const cluster = { contactPoints: [contactPoint], localDataCenter: "datacenter1" };
const spec = { keyspace: "finances", table: "account_aggregates", keyColumn: "account_number", valueColumns: ["average_transaction"] };
let client: cassandra.Client;

beforeAll(async () => {
  client = cassandraClient(cluster);
  await client.connect();
  await client.execute("CREATE KEYSPACE IF NOT EXISTS lookup_test WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
});
afterAll(async () => {
  await client.execute("DROP KEYSPACE IF EXISTS lookup_test");
  await client.shutdown();
});

const setAverage = (account: string, average: number | null) =>
  client.execute("INSERT INTO finances.account_aggregates (account_number, average_transaction) VALUES (?, ?)", [account, average], { prepare: true });

/** The fraud template with its historic table in Cassandra instead of the app's database. */
function withCassandraTable(d: PipelineDocument, extra: Record<string, unknown> = {}): PipelineDocument {
  return {
    ...d,
    nodes: d.nodes.map((n) =>
      n.kind === "lookupJoin" ? { ...n, config: { ...n.config, source: "cassandra", contactPoints: [contactPoint], keyspace: "finances", table: "account_aggregates", ...extra } } : n,
    ),
  };
}

/** The lookup joins read the app's database table instead (once per run, as the templates do). */
function withDatabaseTable(d: PipelineDocument): PipelineDocument {
  return {
    ...d,
    nodes: d.nodes.map((n) => (n.kind === "lookupJoin" ? { ...n, config: { table: HISTORIC_AVERAGES_TABLE, keyField: "account_number", valueField: "average_transaction", outer: false, once: true } } : n)),
  };
}

/** The template's deterministic generator in place of a Kafka source (same lines, on the manual clock). */
function withGenerator(d: PipelineDocument): PipelineDocument {
  const generator = fraudMapWithStateTemplate.nodes.find((n) => n.id === "transactions")!;
  return { ...d, nodes: d.nodes.map((n) => (n.id === "transactions" ? generator : n)) };
}

/** Every flag the run raised, as "<flags node> <batch time> <flag>". */
async function fraudFlags(d: PipelineDocument, env: Parameters<typeof runDoc>[2] = {}) {
  const flags: string[] = [];
  const batches = 290_000 / d.settings.batchIntervalMs;
  await runDoc(d, batches, {
    checkpointDir: fs.mkdtempSync(path.join(os.tmpdir(), "fraud-cassandra-cp-")),
    ...env,
    sinks: { flags: (node, batchFlags, t) => void flags.push(...batchFlags.map((f) => `${node} ${t} ${JSON.stringify(f)}`)) },
  });
  return flags;
}
const fromDatabase = { readTable: (table: string) => (table === HISTORIC_AVERAGES_TABLE ? historicAverageRows(ARTICLE_HISTORIC_AVERAGES) : []) };

describe("reading a Cassandra table", () => {
  it("reads the seeded finances.account_aggregates", async () => {
    const rows = await readCassandraTable(client, spec);
    expect(Object.fromEntries(rows.map((r) => [r.account_number, r.average_transaction]))).toEqual(ARTICLE_HISTORIC_AVERAGES);
  });

  it("reads page by page: every row of a table larger than a page", async () => {
    await client.execute("CREATE TABLE IF NOT EXISTS lookup_test.paged (k text PRIMARY KEY, v double)");
    for (let i = 0; i < 23; i++) await client.execute("INSERT INTO lookup_test.paged (k, v) VALUES (?, ?)", [`k${i}`, i], { prepare: true });
    const rows = await readCassandraTable(client, { keyspace: "lookup_test", table: "paged", keyColumn: "k", valueColumns: ["v"] }, { fetchSize: 5 });
    expect(rows).toHaveLength(23);
    expect(new Set(rows.map((r) => r.k)).size).toBe(23);
  });

  it("names a missing keyspace, a missing table and a wrong column", async () => {
    await expect(readCassandraTable(client, { ...spec, keyspace: "finance" })).rejects.toThrow(/keyspace "finance" does not exist \(keyspaces: .*finances/);
    await expect(readCassandraTable(client, { ...spec, table: "account_aggregate" })).rejects.toThrow('table "finances.account_aggregate" does not exist (tables of finances: account_aggregates)');
    await expect(readCassandraTable(client, { ...spec, valueColumns: ["avg"] })).rejects.toThrow(
      'value column "avg" is not a column of finances.account_aggregates (columns: account_number, average_transaction)',
    );
  });
});

describe("the fraud templates with their historic table in Cassandra", () => {
  it("updateStateByKey: raises exactly the flags it raises with the database table", async () => {
    const database = await fraudFlags(fraudUpdateStateByKeyTemplate, fromDatabase);
    const fromCassandra = await fraudFlags(withCassandraTable(fraudUpdateStateByKeyTemplate), { cassandra: cassandraPipelineEnvironment() });
    expect(database.length).toBeGreaterThan(0);
    expect(fromCassandra).toEqual(database);
  });

  it("mapWithState (the article's: snapshots joined with storedHistoric): exactly the flags of the database table, and its amount > 4000 flags unchanged", async () => {
    const article = withGenerator(fraudArticleMapWithStateKafkaCassandraTemplate);
    const database = await fraudFlags(withDatabaseTable(article), fromDatabase);
    const fromCassandra = await fraudFlags(withCassandraTable(article), { cassandra: cassandraPipelineEnvironment() });
    expect(database.filter((f) => f.startsWith("historicFlags ")).length).toBeGreaterThan(0);
    expect(fromCassandra).toEqual(database);
    // The historic join is a branch of its own: the template's amount > 4000 flags are the ones it raises without it.
    const plain = await fraudFlags(fraudMapWithStateTemplate);
    expect(plain.length).toBeGreaterThan(0);
    expect(fromCassandra.filter((f) => f.startsWith("flags "))).toEqual(plain);
  });

  it("a table edited between two runs changes the flags", async () => {
    const before = await fraudFlags(withCassandraTable(fraudUpdateStateByKeyTemplate), { cassandra: cassandraPipelineEnvironment() });
    expect(before.some((f) => f.includes("987-CBA-321"))).toBe(true);
    await setAverage("987-CBA-321", 1_000_000);
    try {
      const after = await fraudFlags(withCassandraTable(fraudUpdateStateByKeyTemplate), { cassandra: cassandraPipelineEnvironment() });
      expect(after.some((f) => f.includes("987-CBA-321"))).toBe(false);
    } finally {
      await setAverage("987-CBA-321", ARTICLE_HISTORIC_AVERAGES["987-CBA-321"]);
    }
  });
});

/** Pairs [account, batch] each batch, joined with the Cassandra table; what the join emitted per batch. */
async function joinRun(batches: number, lookup: Record<string, unknown>, between: (batch: number) => Promise<void> = async () => {}) {
  const d = doc(
    [
      ["in", "queue", { batches: Array.from({ length: batches }, (_, i) => [["123-ABC-789", i + 1], ["333-XYZ-999", i + 1]]), oneAtATime: true }],
      ["pairs", "mapToPair", { fn: "(r) => r" }],
      ["join", "lookupJoin", { source: "cassandra", contactPoints: [contactPoint], keyspace: "finances", table: "account_aggregates", ...lookup }],
      ["out", "deadLetters"],
    ],
    [["in", "pairs"], ["pairs", "join"], ["join", "out"]],
  );
  const clock = new ManualClock(0);
  const seen: unknown[][] = [];
  const errors: string[] = [];
  const { ssc } = compilePipeline(d, {
    clock,
    cassandra: cassandraPipelineEnvironment(),
    sinks: { deadLetters: (_n, records) => void seen.push(records), error: (e) => void errors.push(e.message) },
  });
  ssc.start();
  try {
    for (let i = 1; i <= batches; i++) {
      clock.advance(Milliseconds(d.settings.batchIntervalMs));
      await ssc.awaitBatchesDue();
      await between(i);
    }
  } finally {
    await ssc.stop();
  }
  return { seen, errors };
}

describe("the lookup join's Cassandra table", () => {
  it("is read once per run by default, and again every N batches when asked", async () => {
    const change = (batch: number) => (batch === 1 ? setAverage("333-XYZ-999", 7) : Promise.resolve());
    try {
      const once = await joinRun(4, {}, async (b) => void (await change(b)));
      expect(once.seen.map((records) => records.find((r) => (r as [string])[0] === "333-XYZ-999"))).toEqual([
        ["333-XYZ-999", [1, 5]],
        ["333-XYZ-999", [2, 5]],
        ["333-XYZ-999", [3, 5]],
        ["333-XYZ-999", [4, 5]],
      ]);
      await setAverage("333-XYZ-999", 5);
      // Every 2 batches: read before batches 1 and 3; the edit after batch 1 shows from batch 3 on.
      const every2 = await joinRun(4, { refreshEveryBatches: 2 }, async (b) => void (await change(b)));
      expect(every2.seen.map((records) => (records.find((r) => (r as [string])[0] === "333-XYZ-999") as [string, [number, number]])[1][1])).toEqual([5, 5, 7, 7]);
    } finally {
      await setAverage("333-XYZ-999", ARTICLE_HISTORIC_AVERAGES["333-XYZ-999"]);
    }
  });

  it("a row whose value is null is a node error naming the key, and the record is skipped", async () => {
    await setAverage("333-XYZ-999", null);
    try {
      const run = await joinRun(1, {});
      expect(run.seen[0]).toEqual([["123-ABC-789", [1, 500]]]);
      expect(run.errors).toEqual(['finances.account_aggregates has no average_transaction (null) for key "333-XYZ-999"']);
    } finally {
      await setAverage("333-XYZ-999", ARTICLE_HISTORIC_AVERAGES["333-XYZ-999"]);
    }
  });

  it("a Cassandra that is down when the run starts: the run waits and says so, then proceeds", async () => {
    // A TCP proxy to the real server that accepts nothing until it is opened.
    const [host, port] = contactPoint.split(":");
    const proxy = net.createServer((socket) => {
      const upstream = net.connect(Number(port), host);
      socket.pipe(upstream).pipe(socket);
      const close = () => (socket.destroy(), upstream.destroy());
      socket.on("error", close);
      upstream.on("error", close);
    });
    const probe = net.createServer();
    const proxyPort = await new Promise<number>((resolve) => probe.listen(0, "127.0.0.1", () => resolve((probe.address() as net.AddressInfo).port)));
    await new Promise<void>((resolve) => probe.close(() => resolve()));

    const d = doc(
      [
        ["in", "queue", { batches: [[["123-ABC-789", 1]], [["123-ABC-789", 2]]], oneAtATime: true }],
        ["pairs", "mapToPair", { fn: "(r) => r" }],
        ["join", "lookupJoin", { source: "cassandra", contactPoints: [`127.0.0.1:${proxyPort}`], keyspace: "finances", table: "account_aggregates" }],
        ["out", "deadLetters"],
      ],
      [["in", "pairs"], ["pairs", "join"], ["join", "out"]],
    );
    const clock = new ManualClock(0);
    const seen: unknown[][] = [];
    const waiting: string[] = [];
    const { ssc } = compilePipeline(d, { clock, cassandra: cassandraPipelineEnvironment(), sinks: { deadLetters: (_n, r) => void seen.push(r) } });
    ssc.addStreamingListener((e: StreamingEvent) => {
      if (e.type === "receiverError") waiting.push(e.message ?? "");
    });
    ssc.start();
    try {
      clock.advance(Milliseconds(2 * d.settings.batchIntervalMs));
      const done = ssc.awaitBatchesDue();
      while (waiting.length < 2) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(seen).toEqual([]);
      expect(waiting[0]).toMatch(new RegExp(`^Cassandra at 127\\.0\\.0\\.1:${proxyPort} is unreachable .*; batch 1000 waits for the table, next try in`));
      await new Promise<void>((resolve) => proxy.listen(proxyPort, "127.0.0.1", () => resolve()));
      await done;
      expect(seen).toEqual([[["123-ABC-789", [1, 500]]], [["123-ABC-789", [2, 500]]]]);
    } finally {
      await ssc.stop();
      proxy.close();
    }
  });
});

describe("the Cassandra output", () => {
  it("writes each record as a row, and a batch written again leaves the same rows (no duplicates)", async () => {
    await client.execute("CREATE TABLE IF NOT EXISTS lookup_test.flags (account_number text, batch_ms bigint, amount double, PRIMARY KEY (account_number, batch_ms))");
    const d = doc(
      [
        [
          "in",
          "queue",
          {
            batches: [
              [{ account_number: "a", batch_ms: 1000, amount: 1.5 }, { account_number: "b", batch_ms: 1000, amount: 2 }],
              [{ account_number: "a", batch_ms: 2000, amount: 3 }],
            ],
            oneAtATime: true,
          },
        ],
        ["out", "cassandraTable", { contactPoints: [contactPoint], keyspace: "lookup_test", table: "flags" }],
      ],
      [["in", "out"]],
    );
    const rows = async () =>
      (await client.execute("SELECT account_number, batch_ms, amount FROM lookup_test.flags")).rows.map((r) => `${r.account_number} ${r.batch_ms} ${r.amount}`).sort();
    await runDoc(d, 2, { cassandra: cassandraPipelineEnvironment() });
    const first = await rows();
    expect(first).toEqual(["a 1000 1.5", "a 2000 3", "b 1000 2"]);
    // The same batches again, as a run recovered from its checkpoint re-runs them.
    await runDoc(d, 2, { cassandra: cassandraPipelineEnvironment() });
    expect(await rows()).toEqual(first);
  });

  it("refuses a record without its primary key, and a field that is not a column, naming them", async () => {
    const run = (record: Record<string, unknown>) =>
      runDoc(
        doc(
          [
            ["in", "queue", { batches: [[record]] }],
            ["out", "cassandraTable", { contactPoints: [contactPoint], keyspace: "lookup_test", table: "flags" }],
          ],
          [["in", "out"]],
        ),
        1,
        { cassandra: cassandraPipelineEnvironment() },
      );
    await expect(run({ account_number: "a", amount: 1 })).rejects.toThrow('a record has no primary-key column "batch_ms"');
    await expect(run({ account_number: "a", batch_ms: 1, amont: 1 })).rejects.toThrow('field "amont" is not a column (columns: ');
  });
});

describe("the editor's diagnostic for Cassandra columns", () => {
  const ref = { contactPoints: [contactPoint], localDataCenter: "datacenter1", keyspace: "finances", table: "account_aggregates" };
  /** The article's template pointed at the test's Cassandra, its join's config changed by `change`. */
  const article = (change: Record<string, unknown> = {}) => withCassandraTable(fraudArticleKafkaCassandraTemplate, change);
  async function diagnostics(d: PipelineDocument) {
    const inspected = new Map<string, CassandraInspection>();
    for (const use of cassandraLookups(d)) inspected.set(use.key, await inspectCassandraTable(use.ref));
    return cassandraColumnDiagnostics(d, inspected).map((x) => `${x.severity} ${x.nodeId} ${x.field}: ${x.message}`);
  }

  it("inspects a table: its columns, a missing table named with what exists, an unreachable cluster", async () => {
    expect(await inspectCassandraTable(ref)).toEqual({ kind: "columns", columns: ["account_number", "average_transaction"] });
    expect(await inspectCassandraTable({ ...ref, table: "account_aggregate" })).toEqual({
      kind: "missing",
      message: 'table "finances.account_aggregate" does not exist (tables of finances: account_aggregates)',
    });
    const probe = net.createServer();
    const closedPort = await new Promise<number>((resolve) => probe.listen(0, "127.0.0.1", () => resolve((probe.address() as net.AddressInfo).port)));
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const down = await inspectCassandraTable({ ...ref, contactPoints: [`127.0.0.1:${closedPort}`] });
    expect(down.kind).toBe("unreachable");
    expect((down as { message: string }).message).toContain(`Cassandra at 127.0.0.1:${closedPort} is unreachable`);
  });

  it("a wrong key or value column is an error naming the table's columns; a missing table a warning; the template's own none", async () => {
    expect(await diagnostics(article())).toEqual([]);
    expect(await diagnostics(article({ valueField: "average" }))).toEqual([
      'error historic valueField: Lookup join historic: valueField "average" is not a column of Cassandra table finances.account_aggregates (columns: account_number, average_transaction).',
    ]);
    expect(await diagnostics(article({ keyField: "account" }))).toEqual([
      'error historic keyField: Lookup join historic: keyField "account" is not a column of Cassandra table finances.account_aggregates (columns: account_number, average_transaction).',
    ]);
    expect(await diagnostics(article({ table: "history" }))).toEqual([
      `warning historic table: Lookup join historic: table "finances.history" does not exist (tables of finances: account_aggregates) at ${contactPoint}; a run waits until it exists.`,
    ]);
  });

  it("POST /api/cassandra/table answers what the editor asks, and refuses a name that is no CQL name", async () => {
    const ask = (body: unknown) => inspectRoute(new Request("http://localhost/api/cassandra/table", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }));
    const ok = await ask(ref);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ kind: "columns", columns: ["account_number", "average_transaction"] });
    const bad = await ask({ ...ref, table: "x; DROP KEYSPACE finances" });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/table "x; DROP KEYSPACE finances" is not a plain CQL name/);
    expect((await ask({ keyspace: "finances" })).status).toBe(400);
  });
});

describe("the article's pipeline files (scripts/cassandra/article-pipelines.ts)", () => {
  it("writes both detectors pointed at the given broker and cluster, as documents the app imports without errors", () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "article-pipelines-"));
    const root = path.resolve(import.meta.dirname, "..", "..");
    execFileSync(process.execPath, [path.join(root, "node_modules", "tsx", "dist", "cli.mjs"), "scripts/cassandra/article-pipelines.ts", "--kafka", "127.0.0.1:19092", "--cassandra", contactPoint, "--out", out], { cwd: root });
    const files = fs.readdirSync(out).sort();
    expect(files).toEqual(["fraud-article-kafka-cassandra.json", "fraud-article-mapwithstate-kafka-cassandra.json"]);
    for (const file of files) {
      const parsed = parsePipelineDocument(JSON.parse(fs.readFileSync(path.join(out, file), "utf8")));
      expect(parsed.ok, file).toBe(true);
      if (!parsed.ok) continue;
      expect(diagnose(parsed.document).filter((d) => d.severity === "error")).toEqual([]);
      const byKind = (kind: string) => parsed.document.nodes.filter((n) => n.kind === kind).map((n) => n.config);
      expect(byKind("kafka")).toEqual([expect.objectContaining({ brokers: ["127.0.0.1:19092"], topic: "transactions" })]);
      expect(byKind("lookupJoin")).toEqual([expect.objectContaining({ source: "cassandra", contactPoints: [contactPoint], keyspace: "finances", table: "account_aggregates" })]);
    }
    fs.rmSync(out, { recursive: true, force: true });
  });
});
