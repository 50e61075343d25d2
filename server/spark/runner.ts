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
/** What the runner writes, one JSON object a line: our engine's batch events plus these. */
export type SparkLine =
  StreamingEvent | SparkOutputLine | SparkNodeErrorLine | SparkRefusedLine | SparkRunEndedLine | SparkRunErrorLine;

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
  /** The JVM's time zone (the generator's dates are local dates); this process's by default. */
  readonly timeZone?: string;
}

export interface SparkRunResult {
  readonly lines: SparkLine[];
  readonly exitCode: number | null;
  /** The driver's log (Spark's own, and the JVM's). */
  readonly log: string;
}

/** Runs a document on Spark through the runner (built first when needed) and returns what it wrote. */
export async function runOnSpark(options: SparkRunOptions): Promise<SparkRunResult> {
  const document = runnerDocument(options.document);
  buildRunner({ quiet: true });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dstream-spark-run-"));
  try {
    const docFile = path.join(dir, "document.json");
    const outFile = path.join(dir, "out.jsonl");
    fs.writeFileSync(docFile, JSON.stringify(document));
    const args = ["--document", docFile, "--out", outFile, "--master", options.master ?? "local[2]"];
    if (options.tables) {
      fs.writeFileSync(path.join(dir, "tables.json"), JSON.stringify(options.tables));
      args.push("--tables", path.join(dir, "tables.json"));
    }
    if (options.batches !== undefined) args.push("--batches", String(options.batches));
    if (options.durationMs !== undefined) args.push("--duration-ms", String(options.durationMs));
    if (options.checkpointDir) args.push("--checkpoint", options.checkpointDir);
    const timeZone = options.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
    const classpath = [runnerJar, fs.readFileSync(classpathFile, "utf8").trim()].join(path.delimiter);
    const child = spawn(
      "java",
      [...SPARK_JVM_OPTIONS, `-Duser.timezone=${timeZone}`, "-cp", classpath, "dstream.studio.Runner", ...args],
      { stdio: ["ignore", "ignore", "pipe"] },
    );
    let log = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      if (log.length < 1_000_000) log += chunk;
    });
    const exitCode = await new Promise<number | null>((resolve, reject) => {
      child.on("error", reject);
      child.on("close", resolve);
    });
    const text = fs.existsSync(outFile) ? fs.readFileSync(outFile, "utf8") : "";
    const lines = text
      .split("\n")
      .filter((l) => l.trim() !== "")
      .map((l) => JSON.parse(l) as SparkLine);
    const refused = lines.find((l): l is SparkRefusedLine => l.type === "refused");
    if (refused) throw new SparkRefusal(refused.message, refused.nodeId ?? undefined);
    return { lines, exitCode, log };
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
