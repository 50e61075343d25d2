import type { DStream } from "../dstream/DStream";
import { SystemClock, type Clock } from "../streaming/Clock";
import { Milliseconds } from "../streaming/Duration";
import { StreamingContext } from "../streaming/StreamingContext";
import { formatRecord } from "../sinks/format";
import { nodeDefinition, type CompileContext, type PipelineBuilder, type Stream, type UserFunction } from "./catalog";
import { readField } from "./catalog/fields";
import { diagnose, topologicalOrder, type Diagnostic } from "./diagnostics";
import type { PipelineDocument, PipelineNode } from "./document";
import type { FraudFlag } from "./fraud/flags";
import { EngineStream } from "./engineStream";
import { compileUserFunction, vmSyntaxChecker } from "./userFunction";
import type { CassandraEnvironment } from "../sources/cassandra/pipelineEnvironment";
import { parseContactPoints } from "../sources/cassandra/cluster";

/** One record that made a user function throw, reported on its node's error output. */
export interface NodeErrorEvent {
  nodeId: string;
  field?: string;
  message: string;
  record: unknown;
}

/** What the place that runs a pipeline provides to its compiled streams. See CONTEXT.md. */
export interface CompileEnvironment {
  /** The batch clock: a ManualClock in tests, the system clock (default) in a run. */
  clock?: Clock;
  /** Required when the document turns checkpointing on. */
  checkpointDir?: string;
  /** Builds a user function; the default compiles it in node:vm with a watchdog (userFunction.ts). */
  userFunction?: (source: string, where: { nodeId: string; field: string }) => UserFunction;
  sinks?: {
    /** The lines one print node printed for one batch (Spark's layout: header, records, blank). */
    print?: (nodeId: string, lines: string[], batchTimeMs: number) => void;
    chart?: (nodeId: string, point: { label: string; values: number[] }, batchTimeMs: number) => void;
    deadLetters?: (nodeId: string, records: unknown[], batchTimeMs: number) => void;
    error?: (event: NodeErrorEvent) => void;
    /** Rows for a database table output (records must be objects). */
    table?: (table: string, rows: unknown[], batchTimeMs: number) => void | Promise<void>;
    /** The possible frauds a fraud flags node raised for one batch (empty when none). */
    flags?: (nodeId: string, flags: FraudFlag[], batchTimeMs: number) => void | Promise<void>;
  };
  /** The rows of a lookup table, read once per batch; sync, so a server keeps them cached. */
  readTable?: (table: string) => ReadonlyArray<Record<string, unknown>>;
  /** Cassandra lookup tables and outputs (engine/sources/cassandra/pipelineEnvironment.ts). */
  cassandra?: CassandraEnvironment;
  kafka?: {
    stream(ssc: StreamingContext, options: { brokers: string[]; topic: string; groupId: string; nodeId: string }): DStream<string>;
    sink?(stream: DStream<unknown>, options: { brokers: string[]; topic: string; nodeId: string }): void;
  };
}

export interface CompiledPipeline {
  ssc: StreamingContext;
  /** `<nodeId>:<port>` → stream; output nodes appear as `<nodeId>:output`. */
  streams: Map<string, DStream<unknown>>;
  diagnostics: Diagnostic[];
}

/** The pipeline cannot be compiled: the diagnostics, or the node whose compile failed. */
export class PipelineCompileError extends Error {
  constructor(message: string, readonly diagnostics: Diagnostic[] = [], readonly nodeId?: string) {
    super(message);
  }
}

/** An error's message; errors thrown inside the vm sandbox are of another realm, so no instanceof. */
const message = (e: unknown) =>
  typeof e === "object" && e !== null && typeof (e as { message?: unknown }).message === "string" ? (e as { message: string }).message : String(e);

/**
 * Validates and diagnoses the document, then builds a StreamingContext whose streams carry the
 * stable ids `<nodeId>:<port>`. The context is not started.
 */
export function compilePipeline(document: PipelineDocument, env: CompileEnvironment = {}): CompiledPipeline {
  const diagnostics = diagnose(document, { checkSyntax: vmSyntaxChecker });
  const errors = diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) {
    throw new PipelineCompileError(`the pipeline has ${errors.length} error(s): ${errors.map((d) => d.message).join(" | ")}`, diagnostics, errors[0].nodeId ?? undefined);
  }
  const s = document.settings;
  const printNodes = new Map<string, string>(); // stream id → node id
  const ssc = new StreamingContext(Milliseconds(s.batchIntervalMs), {
    clock: env.clock ?? new SystemClock(),
    concurrentJobs: s.concurrentJobs,
    ...(s.rateControl
      ? {
          receiverMaxRate: s.rateControl.receiverMaxRate,
          backpressure: { enabled: s.rateControl.backpressure, initialRate: s.rateControl.initialRate, pid: s.rateControl.pid },
        }
      : {}),
    printSink: (text, info) => {
      const nodeId = printNodes.get(info.streamId) ?? info.streamId;
      env.sinks?.print?.(nodeId, text.replace(/\n$/, "").split("\n"), info.batchTimeMs);
    },
  });
  if (s.checkpointing.enabled) {
    if (!env.checkpointDir) throw new PipelineCompileError("checkpointing is on but this environment gives no checkpoint directory");
    ssc.checkpoint(env.checkpointDir);
  }
  if (s.rememberMs) ssc.remember(Milliseconds(s.rememberMs));

  const streams = new Map<string, DStream<unknown>>();
  const byId = new Map(document.nodes.map((n) => [n.id, n]));
  const batch = { windowMs: s.batchIntervalMs, slideMs: s.batchIntervalMs };
  const windows = new Map<string, { windowMs: number; slideMs: number }>(); // node → window of its outputs
  for (const node of topologicalOrder(document)) {
    const def = nodeDefinition(node.kind)!;
    const config = def.config.parse(node.config) as Record<string, unknown>;
    const inEdge = document.edges.find((e) => e.target === node.id && e.targetPort === "in") ?? document.edges.find((e) => e.target === node.id);
    const inWindow = (inEdge && windows.get(inEdge.source)) || batch;
    const own = def.window?.(config);
    windows.set(node.id, own ? { windowMs: own.windowMs, slideMs: own.slideMs ?? inWindow.slideMs } : inWindow);
    const inputs = new Map<string, Stream>();
    for (const e of document.edges.filter((e) => e.target === node.id)) {
      const upstream = streams.get(`${e.source}:${e.sourcePort}`);
      if (upstream) inputs.set(e.targetPort, new EngineStream(upstream));
    }
    const ctx: CompileContext<Record<string, unknown>> = {
      nodeId: node.id,
      config,
      builder: builderFor(ssc, node, env, streams, printNodes),
      window: inWindow,
      optionalInput: (port) => inputs.get(port),
      input: (port = "in") => {
        const found = inputs.get(port);
        if (!found) throw new Error(`input "${port}" is not connected`);
        return found;
      },
    };
    let outputs: Record<string, Stream>;
    try {
      outputs = def.compile(ctx);
    } catch (e) {
      throw new PipelineCompileError(`node ${node.id} (${byId.get(node.id)?.kind}): ${message(e)}`, diagnostics, node.id);
    }
    const stateful = def.stateful?.(config) ?? false;
    for (const [port, stream] of Object.entries(outputs)) {
      const d = (stream as EngineStream).dstream.withId(`${node.id}:${port}`).setName(`${node.label ?? def.label} (${node.id}:${port})`);
      if (stateful && s.checkpointing.enabled && s.checkpointing.intervalMs) d.checkpoint(Milliseconds(s.checkpointing.intervalMs));
      streams.set(`${node.id}:${port}`, d);
    }
  }
  return { ssc, streams, diagnostics };
}

/** The builder one node's compile sees: sources, user functions and outputs, all tagged with the node. */
function builderFor(
  ssc: StreamingContext,
  node: PipelineNode,
  env: CompileEnvironment,
  streams: Map<string, DStream<unknown>>,
  printNodes: Map<string, string>,
): PipelineBuilder {
  const nodeId = node.id;
  const d = (s: Stream) => (s as EngineStream).dstream;
  const output = (stream: DStream<unknown>) => {
    stream.withId(`${nodeId}:output`);
    streams.set(`${nodeId}:output`, stream);
  };
  return {
    queueStream: (batches, oneAtATime) => new EngineStream(ssc.queueStream(batches.map((b) => ssc.sc.makeRDD(b)), { oneAtATime }) as unknown as DStream<unknown>),
    transactionGenerator: (o) =>
      new EngineStream(ssc.transactionStream({ mode: o.mode, seed: o.seed, timeScale: o.timeScale, maxRate: o.maxRate }) as unknown as DStream<unknown>),
    textFileStream: (dir) => new EngineStream(ssc.textFileStream(dir) as unknown as DStream<unknown>),
    socketTextStream: (host, port, maxRate) => new EngineStream(ssc.socketTextStream(host, port, { maxRate }) as unknown as DStream<unknown>),
    kafkaStream: (o) => {
      if (!env.kafka) throw new Error("Kafka is not available in this environment (no Kafka source factory)");
      return new EngineStream(env.kafka.stream(ssc, { ...o, nodeId }) as DStream<unknown>);
    },
    userFunction: (field, source) =>
      env.userFunction ? env.userFunction(source, { nodeId, field }) : compileUserFunction(source, { filename: `${nodeId}.${field}` }),
    reportError: (record, error, field) => env.sinks?.error?.({ nodeId, field, message: message(error), record }),
    print: (stream, num) => {
      const out = d(stream).print(num);
      output(out as unknown as DStream<unknown>);
      printNodes.set(out.id, nodeId);
    },
    chartTap: (stream, o) =>
      output(d(stream).foreachRDD((rdd, time) => {
        const values = rdd.collect().map((r) => Number(o.valueField ? readField(r, o.valueField) : Array.isArray(r) && r.length === 2 ? r[1] : r));
        env.sinks?.chart?.(nodeId, { label: o.label, values: values.filter((v) => Number.isFinite(v)) }, time.milliseconds);
      }) as unknown as DStream<unknown>),
    deadLetters: (stream) =>
      output(d(stream).foreachRDD((rdd, time) => env.sinks?.deadLetters?.(nodeId, rdd.collect(), time.milliseconds)) as unknown as DStream<unknown>),
    foreachRDD: (stream, f, num) =>
      output(d(stream).foreachRDD((rdd, time) => {
        const values = f(rdd.collect(), time.milliseconds);
        if (values.length === 0) return;
        // The returned values reach the dashboard only, as console lines in print's layout.
        const lines = [DASHES, `Time: ${time}`, DASHES, ...values.slice(0, num).map(formatRecord)];
        if (values.length > num) lines.push("...");
        env.sinks?.print?.(nodeId, [...lines, ""], time.milliseconds);
      }) as unknown as DStream<unknown>),
    saveAsTextFiles: (stream, prefix, suffix) => output(d(stream).saveAsTextFiles(prefix, suffix) as unknown as DStream<unknown>),
    saveAsObjectFiles: (stream, prefix, suffix) => output(d(stream).saveAsObjectFiles(prefix, suffix) as unknown as DStream<unknown>),
    writeTable: (stream, table) => {
      const write = env.sinks?.table;
      if (!write) throw new Error("database table outputs are not available in this environment");
      output(d(stream).foreachRDD((rdd, time) => write(table, rdd.collect(), time.milliseconds)) as unknown as DStream<unknown>);
    },
    kafkaSink: (stream, o) => {
      if (!env.kafka?.sink) throw new Error("Kafka is not available in this environment (no Kafka sink factory)");
      env.kafka.sink(d(stream), { ...o, nodeId });
    },
    flags: (stream, toFlags) =>
      output(d(stream).foreachRDD((rdd, time) => env.sinks?.flags?.(nodeId, toFlags(rdd.collect(), time.milliseconds) as FraudFlag[], time.milliseconds)) as unknown as DStream<unknown>),
    cassandraLookup: (o) => {
      if (!env.cassandra) throw new Error(`Cassandra is not available in this environment (table ${o.keyspace}.${o.table})`);
      const table = env.cassandra.lookup(ssc, {
        cluster: { contactPoints: parseContactPoints(o.contactPoints), localDataCenter: o.localDataCenter },
        keyspace: o.keyspace,
        table: o.table,
        keyColumn: o.keyColumn,
        valueColumns: [o.valueColumn],
        refreshEveryBatches: o.refreshEveryBatches,
        nodeId,
      });
      const column = o.valueColumn.toLowerCase();
      // Keyed rows → key to value; a Map per read, so the join sees one consistent table per batch.
      let last: ReadonlyMap<unknown, Record<string, unknown>> | undefined;
      let values: ReadonlyMap<unknown, unknown> = new Map();
      return () => {
        const rows = table();
        if (rows !== last) {
          last = rows;
          values = new Map([...rows].map(([k, row]) => [k, row[column]]));
        }
        return values;
      };
    },
    cassandraOutput: (stream, o) => {
      if (!env.cassandra) throw new Error(`Cassandra is not available in this environment (table ${o.keyspace}.${o.table})`);
      const sink = env.cassandra.sink(d(stream), {
        cluster: { contactPoints: parseContactPoints(o.contactPoints), localDataCenter: o.localDataCenter },
        keyspace: o.keyspace,
        table: o.table,
        nodeId,
      });
      output(sink as unknown as DStream<unknown>);
    },
    lookupTable: (table, keyField, valueField) => {
      const read = env.readTable;
      if (!read) throw new Error(`lookup tables are not available in this environment (table "${table}")`);
      return () => new Map(read(table).map((row) => [readField(row, keyField), readField(row, valueField)]));
    },
  };
}

const DASHES = "-------------------------------------------";

/** Formats a record as print does (Scala's toString style), for sinks that show records as text. */
export const formatForConsole = formatRecord;
