/**
 * User functions through the real boundary, beside plain functions and built-in nodes, on the
 * same pipeline and the same input: a text-file source gets one file of 100,000 CSV lines per
 * batch; map parses a line, filter keeps amounts over 100, mapToPair keys by account, reduceByKey
 * sums (the built-in version: parseTransactions, thresholdFilter, keyBy, aggregate sum).
 *
 * - "run process, SES boundary": what a user's run does: the run hub starts a run process (Node's
 *   permission model, lockdown, one Compartment per function, results copied out).
 * - "run process, plain functions": the baseline: the same run path with the user-function module
 *   swapped for plain `eval`ed functions (bench/fixtures/plainUserFunction.ts) in a bundle built
 *   for this benchmark only.
 * - "in process, plain functions": the same document compiled in this process, no process, no boundary.
 * - "in process, built-in nodes": the same work without user code.
 * - "in process, SES boundary": the user functions through the boundary in this process, which
 *   separates the boundary's cost from the run process's (run last: it locks this process down).
 *
 * Figures are the engine's processing time per batch (Spark's "processing time"), median over the
 * measured batches, after one warm-up batch.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { BenchModule } from "./index";
import { compilePipeline } from "../engine/pipeline/compile";
import { PIPELINE_SCHEMA_VERSION, type PipelineDocument, type PipelineNode } from "../engine/pipeline/document";
import type { UserFunction } from "../engine/pipeline/catalog/types";
import type { StreamingEvent } from "../engine/streaming/events";
import { openDatabase } from "../server/db/client";
import { RunHub } from "../server/runs/RunHub";
import { buildRunBundleWith } from "../server/runs/process/bundle";

const RECORDS = 100_000;
const MEASURED = 5;
const INTERVAL_MS = 2000;

const node = (id: string, kind: string, config: Record<string, unknown> = {}): PipelineNode => ({ id, kind, position: { x: 0, y: 0 }, config });

function pipeline(dir: string, builtIn: boolean): PipelineDocument {
  const nodes = builtIn
    ? [
        node("parse", "parseTransactions"),
        node("keep", "thresholdFilter", { field: "amount", op: ">", threshold: 100 }),
        node("pairs", "keyBy", { field: "account_number" }),
        node("sum", "aggregate", { op: "sum", field: "amount" }),
      ]
    : [
        node("parse", "map", { fn: "(line) => { const p = line.split(','); return { id: p[0], date: p[1], account_number: p[2], amount: Number(p[3]), description: p[4] }; }" }),
        node("keep", "filter", { fn: "(t) => t.amount > 100" }),
        node("pairs", "mapToPair", { fn: "(t) => [t.account_number, t.amount]" }),
        node("sum", "reduceByKey", { fn: "(a, b) => a + b" }),
      ];
  const all = [node("files", "textFiles", { directory: dir }), ...nodes, node("out", "print", { num: 3 })];
  return {
    schemaVersion: PIPELINE_SCHEMA_VERSION,
    name: builtIn ? "built-in nodes" : "user functions",
    description: "",
    settings: { batchIntervalMs: INTERVAL_MS, checkpointing: { enabled: false }, concurrentJobs: 1 },
    nodes: all,
    edges: all.slice(1).map((n, i) => ({ id: `e${i}`, source: all[i].id, sourcePort: all[i].id === "parse" && builtIn ? "out" : "out", target: n.id, targetPort: "in" })),
  };
}

/** One file's lines: the article's CSV layout, 1,000 accounts, amounts 0..4999. */
function fileOf(batch: number): string {
  const lines: string[] = [];
  for (let i = 0; i < RECORDS; i++) {
    const n = batch * RECORDS + i;
    lines.push(`tx${n},01/0${1 + (n % 9)}/2024,acct${n % 1000},${(n * 7919) % 5000}.50,purchase ${n % 13}`);
  }
  return lines.join("\n") + "\n";
}

/** Drops one file per batch interval into `dir` (written aside, then renamed in, as a producer should). */
async function feed(dir: string, files: string[]): Promise<void> {
  for (const [i, content] of files.entries()) {
    const aside = path.join(dir, `.incoming-${i}`);
    fs.writeFileSync(aside, content);
    fs.renameSync(aside, path.join(dir, `batch-${i}.csv`));
    await new Promise((r) => setTimeout(r, INTERVAL_MS));
  }
}

/** Waits until `count()` reaches `n` (batches may queue behind a slow one), for at most a minute. */
async function settle(count: () => number, n: number): Promise<void> {
  for (const deadline = Date.now() + 60_000; count() < n && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 200));
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** `plain`: functions `eval`ed with no boundary; otherwise the default environment's (the SES boundary, which locks this process down). */
async function inProcess(dir: string, builtIn: boolean, files: string[], plain = true): Promise<number[]> {
  const plainFunction = (source: string): UserFunction => (0, eval)(`(${source})`) as UserFunction;
  const { ssc } = compilePipeline(pipeline(dir, builtIn), { ...(plain ? { userFunction: plainFunction } : {}), sinks: { print: () => undefined } });
  const times: number[] = [];
  ssc.addStreamingListener((e: StreamingEvent) => {
    if (e.type === "batchCompleted" && e.numRecords > 0 && e.processingTimeMs !== undefined) times.push(e.processingTimeMs);
  });
  ssc.start();
  await feed(dir, files);
  await settle(() => times.length, files.length);
  await ssc.stop();
  return times;
}

async function runProcess(hub: RunHub, dir: string, files: string[]): Promise<number[]> {
  const runId = await hub.start(pipeline(dir, false), null);
  // The process starts, compiles and begins watching the folder before the first file comes.
  while (hub.snapshot(runId)?.status !== "running") await new Promise((r) => setTimeout(r, 100));
  await new Promise((r) => setTimeout(r, INTERVAL_MS));
  await feed(dir, files);
  const measured = () => (hub.snapshot(runId)?.batches ?? []).filter((b) => b.numRecords > 0 && b.processingTimeMs !== undefined);
  await settle(() => measured().length, files.length);
  const times = (hub.snapshot(runId)?.batches ?? []).filter((b) => b.numRecords > 0 && b.processingTimeMs !== undefined).map((b) => b.processingTimeMs!);
  await hub.stop(runId);
  return times;
}

const bench: BenchModule = {
  title: "User functions through the boundary vs plain functions vs built-in nodes",
  async run() {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "dss-bench-userfn-"));
    fs.chmodSync(root, 0o755);
    const env = { ...process.env, DATABASE_URL: `file:${root}/studio.db` };
    execFileSync(process.execPath, ["scripts/prepare-db.mjs"], { env, stdio: "ignore" });
    const db = openDatabase(env);
    const quiet = { frame: () => undefined, status: () => undefined, nodeError: () => undefined };
    const hub = new RunHub({ db, broadcaster: quiet, checkpointRoot: path.join(root, "checkpoints") });
    // The same run process with plain functions in place of the boundary: a build for this benchmark only.
    const appRoot = path.resolve(import.meta.dirname, "..");
    const plainBundle = await buildRunBundleWith(appRoot, path.join(appRoot, ".cache", "run-process", "worker-plain-functions.mjs"), {
      [path.join(appRoot, "engine", "pipeline", "userFunction.ts")]: path.join(appRoot, "bench", "fixtures", "plainUserFunction.ts"),
    });
    const plainHub = new RunHub({ db, broadcaster: quiet, checkpointRoot: path.join(root, "checkpoints"), bundle: plainBundle });
    const files = Array.from({ length: MEASURED + 1 }, (_, i) => fileOf(i));
    const dirFor = (name: string) => {
      const dir = path.join(root, name);
      fs.mkdirSync(dir, { mode: 0o777 });
      fs.chmodSync(dir, 0o777);
      return dir;
    };
    try {
      // The run process first: the in-process variants below compile no SES function, so this
      // process's realm stays as it was for them.
      const boundary = (await runProcess(hub, dirFor("boundary"), files)).slice(1);
      const plainProcess = (await runProcess(plainHub, dirFor("plain-process"), files)).slice(1);
      const plain = (await inProcess(dirFor("plain"), false, files)).slice(1);
      const builtIn = (await inProcess(dirFor("builtin"), true, files)).slice(1);
      // Last: it locks this process down.
      const sesInProcess = (await inProcess(dirFor("ses"), false, files, false)).slice(1);
      const row = (name: string, times: number[]) =>
        `| ${name} | ${times.length} | ${median(times).toFixed(1)} | ${(RECORDS / median(times)).toFixed(0)} k |`;
      console.log(`\n${RECORDS.toLocaleString("en")} records per batch, ${INTERVAL_MS / 1000} s batches, text-file source; median processing time per batch\n`);
      console.log("| variant | batches | ms/batch | records/s |\n|---|---:|---:|---:|");
      console.log(row("run process, SES boundary (what a run does)", boundary));
      console.log(row("run process, plain functions (baseline: no boundary)", plainProcess));
      console.log(row("in process, plain functions", plain));
      console.log(row("in process, built-in nodes", builtIn));
      console.log(row("in process, SES boundary (the boundary without the process)", sesInProcess));
      console.log(`\nthrough the run process, boundary / plain functions: ${(median(boundary) / median(plainProcess)).toFixed(2)}x (aim: at most 2x)`);
      console.log(`in process, boundary / plain functions: ${(median(sesInProcess) / median(plain)).toFixed(2)}x`);
    } finally {
      await hub.stopAll();
      await plainHub.stopAll();
      await db.$disconnect();
      fs.rmSync(root, { recursive: true, force: true });
    }
  },
};
export default bench;
