import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parsePipelineDocument, type PipelineDocument } from "@/engine/pipeline/document";
import { diagnose } from "@/engine/pipeline/diagnostics";
import { nodeDefinition } from "@/engine/pipeline/catalog";
import { formatRecord } from "@/engine/sinks/format";
import type { StreamingEvent } from "@/engine/streaming/events";
import { untranslatableNodes } from "./translatable";
import { buildRunner, classpathFile, runnerJar } from "../../scripts/spark/build.mjs";

/** One output node's records for one batch, as the runner's driver collected them. */
export interface SparkOutputLine {
  readonly type: "output";
  readonly kind: "print" | "deadLetters" | "chartTap" | "databaseTable" | "fraudFlags";
  readonly nodeId: string;
  readonly batchTimeMs: number;
  readonly records: unknown[];
  /** print only: the batch had more than `num` records. */
  readonly more?: boolean;
}
export interface SparkNodeErrorLine {
  readonly type: "nodeError";
  readonly nodeId: string;
  readonly field: string | null;
  readonly message: string;
  readonly record: unknown;
  readonly batchTimeMs: number | null;
}
export interface SparkRefusedLine {
  readonly type: "refused";
  readonly nodeId: string | null;
  readonly message: string;
}
export interface SparkRunEndedLine {
  readonly type: "runEnded";
  readonly tableReads: number;
}
export interface SparkRunErrorLine {
  readonly type: "error";
  readonly message: string;
  readonly error: string;
}
/** The run was recovered from its checkpoint directory (Spark's getOrCreate). */
export interface SparkRecoveredLine {
  readonly type: "recovered";
  readonly checkpoint: string;
}
/** --hold-after: the driver started this batch and now waits to be killed. */
export interface SparkHoldingLine {
  readonly type: "holding";
  readonly batchTimeMs: number;
}
/** What the runner writes, one JSON object a line: our engine's batch events plus these. */
export type SparkLine =
  | StreamingEvent
  | SparkOutputLine
  | SparkNodeErrorLine
  | SparkRefusedLine
  | SparkRunEndedLine
  | SparkRunErrorLine
  | SparkRecoveredLine
  | SparkHoldingLine;

/** A document the runner cannot run, refused before Spark starts (or by the runner itself), naming the node. */
export class SparkRefusal extends Error {
  constructor(
    message: string,
    readonly nodeId: string | undefined,
  ) {
    super(message);
    this.name = "SparkRefusal";
  }
}

/**
 * Spark 3.5 on JDK 17 needs these (spark-submit adds them from JavaModuleOptions); the runner's
 * own launch runs `java -cp` without SPARK_HOME, so it adds them itself.
 */
export const SPARK_JVM_OPTIONS = [
  "-XX:+IgnoreUnrecognizedVMOptions",
  ...[
    "java.lang",
    "java.lang.invoke",
    "java.lang.reflect",
    "java.io",
    "java.net",
    "java.nio",
    "java.util",
    "java.util.concurrent",
    "java.util.concurrent.atomic",
    "sun.nio.ch",
    "sun.nio.cs",
    "sun.security.action",
    "sun.util.calendar",
  ].map((p) => `--add-opens=java.base/${p}=ALL-UNNAMED`),
  "-Djdk.reflect.useDirectMethodHandle=false",
];

/**
 * The document as the runner reads it: validated with the engine's rules (schema, then
 * diagnostics), every node's config completed with its kind's defaults, and refused when a node
 * has no Spark translation.
 */
export function runnerDocument(input: unknown): PipelineDocument {
  const parsed = parsePipelineDocument(input);
  if (!parsed.ok)
    throw new SparkRefusal(
      `not a valid pipeline document: ${parsed.issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`,
      undefined,
    );
  const document = parsed.document;
  const errors = diagnose(document).filter((d) => d.severity === "error");
  if (errors.length > 0)
    throw new SparkRefusal(
      `the pipeline has ${errors.length} error(s): ${errors.map((d) => d.message).join(" | ")}`,
      errors[0].nodeId ?? undefined,
    );
  const refused = untranslatableNodes(document);
  if (refused.length > 0) throw new SparkRefusal(refused.map((r) => r.message).join(" | "), refused[0].nodeId);
  return {
    ...document,
    nodes: document.nodes.map((n) => ({
      ...n,
      config: nodeDefinition(n.kind)!.config.parse(n.config) as Record<string, unknown>,
    })),
  };
}

export interface SparkRunOptions {
  readonly document: unknown;
  /** Run exactly this many batches on Spark's ManualClock (deterministic); else on the system clock. */
  readonly batches?: number;
  readonly durationMs?: number;
  /** Lookup tables by name (rows), as the Studio's database holds them. */
  readonly tables?: Readonly<Record<string, readonly unknown[]>>;
  readonly checkpointDir?: string;
  /** Spark master URL; local[2] by default. */
  readonly master?: string;
  /** After this batch, start the next and wait to be killed (a driver failure at a known point). */
  readonly holdAfter?: number;
  /** The JVM's time zone (the generator's dates are local dates); this process's by default. */
  readonly timeZone?: string;
}

export interface SparkRunResult {
  readonly lines: SparkLine[];
  readonly exitCode: number | null;
  /** The driver's log (Spark's own, and the JVM's). */
  readonly log: string;
}

/** The runner's launch: `java -cp` with Spark's jars from Maven (local masters, no SPARK_HOME). */
function runnerCommand(args: readonly string[], timeZone?: string): { command: string; args: string[] } {
  const zone = timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  const classpath = [runnerJar, fs.readFileSync(classpathFile, "utf8").trim()].join(path.delimiter);
  return {
    command: "java",
    args: [...SPARK_JVM_OPTIONS, `-Duser.timezone=${zone}`, "-cp", classpath, "dstream.studio.Runner", ...args],
  };
}

/** Starts the runner; resolves with its exit code and its log (Spark's own, and the JVM's). */
function launch(
  args: readonly string[],
  timeZone: string | undefined,
  onStart?: (pid: number) => void,
): Promise<{ exitCode: number | null; log: string }> {
  const { command, args: argv } = runnerCommand(args, timeZone);
  const child = spawn(command, argv, { stdio: ["ignore", "ignore", "pipe"] });
  if (child.pid !== undefined) onStart?.(child.pid);
  let log = "";
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    if (log.length < 1_000_000) log += chunk;
  });
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (exitCode) => resolve({ exitCode, log }));
  });
}

/** The JSON lines a run wrote so far (a killed run's last line may be cut: it is left out). */
export function readLines(outFile: string): SparkLine[] {
  const text = fs.existsSync(outFile) ? fs.readFileSync(outFile, "utf8") : "";
  const lines: SparkLine[] = [];
  for (const l of text.split("\n")) {
    if (l.trim() === "") continue;
    try {
      lines.push(JSON.parse(l) as SparkLine);
    } catch {
      // only the last line of a killed driver can be partial
    }
  }
  return lines;
}

function throwIfRefused(lines: readonly SparkLine[]): void {
  const refused = lines.find((l): l is SparkRefusedLine => l.type === "refused");
  if (refused) throw new SparkRefusal(refused.message, refused.nodeId ?? undefined);
}

function runnerArgs(options: SparkRunOptions, dir: string, document: PipelineDocument, outFile: string): string[] {
  const docFile = path.join(dir, "document.json");
  fs.writeFileSync(docFile, JSON.stringify(document));
  const args = ["--document", docFile, "--out", outFile, "--master", options.master ?? "local[2]"];
  if (options.tables) {
    fs.writeFileSync(path.join(dir, "tables.json"), JSON.stringify(options.tables));
    args.push("--tables", path.join(dir, "tables.json"));
  }
  if (options.batches !== undefined) args.push("--batches", String(options.batches));
  if (options.durationMs !== undefined) args.push("--duration-ms", String(options.durationMs));
  if (options.checkpointDir) args.push("--checkpoint", options.checkpointDir);
  if (options.holdAfter !== undefined) args.push("--hold-after", String(options.holdAfter));
  return args;
}

/** Runs a document on Spark through the runner (built first when needed) and returns what it wrote. */
export async function runOnSpark(
  options: SparkRunOptions & { readonly onStart?: (pid: number, outFile: string) => void },
): Promise<SparkRunResult> {
  const document = runnerDocument(options.document);
  buildRunner({ quiet: true });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dstream-spark-run-"));
  try {
    const outFile = path.join(dir, "out.jsonl");
    const { exitCode, log } = await launch(runnerArgs(options, dir, document, outFile), options.timeZone, (pid) =>
      options.onStart?.(pid, outFile),
    );
    const lines = readLines(outFile);
    throwIfRefused(lines);
    return { lines, exitCode, log };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** One document of a batch of runs: it runs until `batches` on Spark's ManualClock. */
export interface SparkBatchJob {
  readonly document: unknown;
  readonly batches: number;
  readonly tables?: Readonly<Record<string, readonly unknown[]>>;
}

/** What one job of a batch wrote; `refusal` when the runner refused its document. */
export interface SparkBatchResult {
  readonly lines: SparkLine[];
  readonly refusal?: SparkRefusal;
}

/**
 * Runs many documents one after the other in one runner JVM on one SparkContext (each with its
 * own StreamingContext on the ManualClock): the JVM's and the SparkContext's start-up, seconds
 * each, are paid once. A document the Studio refuses is not sent; its result carries the refusal.
 */
export async function runManyOnSpark(
  jobs: readonly SparkBatchJob[],
  options: {
    readonly master?: string;
    readonly timeZone?: string;
    /** How long one batch may take before its run fails (the runner's default: 2 minutes). */
    readonly batchTimeoutMs?: number;
  } = {},
): Promise<{ results: SparkBatchResult[]; exitCode: number | null; log: string }> {
  buildRunner({ quiet: true });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dstream-spark-batch-"));
  try {
    const refusals: (SparkRefusal | undefined)[] = [];
    const manifest: { document: string; out: string; batches: number; tables?: string }[] = [];
    jobs.forEach((job, i) => {
      let document: PipelineDocument;
      try {
        document = runnerDocument(job.document);
      } catch (e) {
        if (!(e instanceof SparkRefusal)) throw e;
        refusals[i] = e;
        return;
      }
      const entry = { document: path.join(dir, `${i}.json`), out: path.join(dir, `${i}.jsonl`), batches: job.batches };
      fs.writeFileSync(entry.document, JSON.stringify(document));
      if (job.tables) fs.writeFileSync(path.join(dir, `${i}.tables.json`), JSON.stringify(job.tables));
      manifest.push(job.tables ? { ...entry, tables: path.join(dir, `${i}.tables.json`) } : entry);
    });
    fs.writeFileSync(path.join(dir, "manifest.json"), JSON.stringify(manifest));
    const { exitCode, log } = await launch(
      [
        "--documents",
        path.join(dir, "manifest.json"),
        "--master",
        options.master ?? "local[2]",
        ...(options.batchTimeoutMs === undefined ? [] : ["--batch-timeout-ms", String(options.batchTimeoutMs)]),
      ],
      options.timeZone,
    );
    const results = jobs.map((_, i): SparkBatchResult => {
      if (refusals[i]) return { lines: [], refusal: refusals[i] };
      const lines = readLines(path.join(dir, `${i}.jsonl`));
      const refused = lines.find((l): l is SparkRefusedLine => l.type === "refused");
      return refused ? { lines, refusal: new SparkRefusal(refused.message, refused.nodeId ?? undefined) } : { lines };
    });
    return { results, exitCode, log };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const DASHES = "-------------------------------------------";

/** A print output's lines in Spark's layout, as our engine's print sink gives them. */
export function printLines(output: SparkOutputLine): string[] {
  return [
    DASHES,
    `Time: ${output.batchTimeMs} ms`,
    DASHES,
    ...output.records.map(formatRecord),
    ...(output.more ? ["..."] : []),
    "",
  ];
}
