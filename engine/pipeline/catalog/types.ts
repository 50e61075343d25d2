import type { z } from "zod";

/**
 * The shape of a node kind. Browser-safe: this folder imports no runtime engine module and no
 * Node built-in, so the palette and the inspector can import it. Streams are reached through the
 * structural `Stream` interface and sources through the `PipelineBuilder`, both implemented by
 * the server-side compiler (`../compile.ts`).
 */
export type Category = "Sources" | "Transformations" | "Pair" | "Windows" | "State" | "Joins" | "Outputs";
export const CATEGORIES: readonly Category[] = ["Sources", "Transformations", "Pair", "Windows", "State", "Joins", "Outputs"];

/**
 * `plain`: any record stream (a pair stream is a stream of tuples, so it fits too).
 * `pair`: `[key, value]` tuples only. An output port with `same` carries the type of input `in`.
 */
export type StreamType = "plain" | "pair";
export type OutputStreamType = StreamType | "same";

export interface InputPort {
  readonly name: string;
  readonly type: StreamType;
  readonly required: boolean;
  readonly label?: string;
}
export interface OutputPort {
  readonly name: string;
  readonly type: OutputStreamType;
  readonly label?: string;
  /** Records that could not be processed leave here: `{ id?, originalMessage, error }`. */
  readonly deadLetter?: boolean;
}

/** The engine operations a compiled node may call, in Spark's names. */
export interface Stream {
  map(f: (r: unknown) => unknown): Stream;
  flatMap(f: (r: unknown) => Iterable<unknown>): Stream;
  filter(f: (r: unknown) => boolean): Stream;
  mapPartitions(f: (records: unknown[]) => Iterable<unknown>): Stream;
  glom(): Stream;
  /** Keeps each batch's records once computed, for a stream read by several nodes (Spark's cache). */
  cache(): Stream;
  repartition(numPartitions: number): Stream;
  union(other: Stream): Stream;
  count(): Stream;
  countByValue(): Stream;
  reduce(f: (a: unknown, b: unknown) => unknown): Stream;
  transform(f: (rdd: RddView) => RddView): Stream;
  /** Spark's transformWith: one function of both streams' batches (records as arrays) and the batch time in ms. */
  transformWith(other: Stream, f: (left: RddView, right: RddView, timeMs: number) => RddView): Stream;
  window(windowMs: number, slideMs?: number): Stream;
  countByWindow(windowMs: number, slideMs: number): Stream;
  reduceByWindow(f: (a: unknown, b: unknown) => unknown, windowMs: number, slideMs: number): Stream;
  /** `filterFunc` replaces Spark's "count != 0" filter of the windowed counts when given. */
  countByValueAndWindow(windowMs: number, slideMs: number, filterFunc?: (kv: unknown) => boolean): Stream;
  // pair operations (PairDStreamFunctions)
  mapValues(f: (v: unknown) => unknown): Stream;
  flatMapValues(f: (v: unknown) => Iterable<unknown>): Stream;
  groupByKey(): Stream;
  reduceByKey(f: (a: unknown, b: unknown) => unknown): Stream;
  combineByKey(
    create: (v: unknown) => unknown,
    merge: (c: unknown, v: unknown) => unknown,
    mergeCombiners: (a: unknown, b: unknown) => unknown,
    numPartitions?: number,
  ): Stream;
  groupByKeyAndWindow(windowMs: number, slideMs: number): Stream;
  reduceByKeyAndWindow(
    f: (a: unknown, b: unknown) => unknown,
    windowMs: number,
    slideMs: number,
    inverse?: (a: unknown, b: unknown) => unknown,
    /** Which [key, value] pairs stay in the window's result (Spark's filterFunc; without an inverse, a filter of the result). */
    filterFunc?: (kv: unknown) => boolean,
  ): Stream;
  /** `mapValues(v => [v]).reduceByKeyAndWindow(_ ++ _, diff, ...)`, each batch's lists built in place. */
  listByKeyAndWindow(windowMs: number, slideMs: number, diff: (a: unknown[], b: unknown[]) => unknown[]): Stream;
  updateStateByKey(f: (values: unknown[], state: unknown) => unknown): Stream;
  mapWithState(spec: MapWithStateSpec): { mapped: Stream; snapshots: Stream };
  join(other: Stream): Stream;
  leftOuterJoin(other: Stream): Stream;
  rightOuterJoin(other: Stream): Stream;
  fullOuterJoin(other: Stream): Stream;
  cogroup(other: Stream): Stream;
}

/** What a `transform` function sees of a batch: its records, as a plain array. */
export type RddView = unknown[];

export interface StateView {
  exists(): boolean;
  get(): unknown;
  update(value: unknown): void;
  remove(): void;
  isTimingOut(): boolean;
}
export interface MapWithStateSpec {
  fn: (key: unknown, value: unknown, state: StateView) => unknown;
  timeoutMs?: number;
  numPartitions?: number;
}

/** A user function compiled by the environment; it throws on the record at fault. */
export type UserFunction = (...args: unknown[]) => unknown;

export interface PipelineBuilder {
  queueStream(batches: unknown[][], oneAtATime: boolean): Stream;
  transactionGenerator(options: { mode: "deterministic" | "random"; seed?: number; timeScale: number; maxRate?: number }): Stream;
  textFileStream(directory: string): Stream;
  kafkaStream(options: { brokers: string[]; topic: string; groupId: string; maxRatePerPartition?: number }): Stream;
  /** Lines received from a TCP server (Spark's socketTextStream). */
  socketTextStream(host: string, port: number, maxRate?: number): Stream;
  /** Compiles the source of a function field of this node (syntax was checked by diagnostics). */
  userFunction(field: string, source: string): UserFunction;
  /** A record that made a user function throw: reported on the node's error output, then skipped. */
  reportError(record: unknown, error: unknown, field?: string): void;
  /** Output operations: each registers an engine output that hands records to the environment. */
  print(stream: Stream, num: number): void;
  chartTap(stream: Stream, options: { valueField?: string; label: string }): void;
  deadLetters(stream: Stream): void;
  /**
   * foreachRDD with user code: every batch, `f(records, batchTimeMs)`; the values it returns
   * are printed on the node's console (at most `num`), and go nowhere else.
   */
  foreachRDD(stream: Stream, f: (records: unknown[], batchTimeMs: number) => unknown[], num: number): void;
  saveAsTextFiles(stream: Stream, prefix: string, suffix: string): void;
  saveAsObjectFiles(stream: Stream, prefix: string, suffix: string): void;
  writeTable(stream: Stream, table: string): void;
  kafkaSink(stream: Stream, options: { brokers: string[]; topic: string }): void;
  /**
   * Fraud flags: every batch, `toFlags(records, batchTimeMs)` goes to the environment's `flags`
   * sink (the dashboard's fraud panel).
   */
  flags(stream: Stream, toFlags: (records: unknown[], batchTimeMs: number) => unknown[]): void;
  /** Rows of a lookup table keyed by `keyField`, read when each batch runs. */
  lookupTable(table: string, keyField: string, valueField: string): () => ReadonlyMap<unknown, unknown>;
  /**
   * A Cassandra table keyed by `keyColumn`, mapped to `valueColumn`: read before the first batch
   * (the run waits while Cassandra is unreachable), again every `refreshEveryBatches` batches if
   * that is positive.
   */
  cassandraLookup(options: CassandraNodeTable & { keyColumn: string; valueColumn: string; refreshEveryBatches: number }): () => ReadonlyMap<unknown, unknown>;
  /** Writes every record (an object of columns) as a row of a Cassandra table: upserts by primary key. */
  cassandraOutput(stream: Stream, options: CassandraNodeTable): void;
}

/** A Cassandra table as a node's config names it. */
export interface CassandraNodeTable {
  contactPoints: string[];
  localDataCenter: string;
  keyspace: string;
  table: string;
}

export interface CompileContext<C> {
  readonly nodeId: string;
  readonly config: C;
  /** The stream wired to an input port; the compiler has checked that required ones are present. */
  input(port?: string): Stream;
  optionalInput(port: string): Stream | undefined;
  readonly builder: PipelineBuilder;
  /**
   * The window of input `in`'s stream (window and slide in ms): that of the nearest windowed node
   * upstream, or one batch when there is none; so that an output can say which window a batch covers.
   */
  readonly window?: { readonly windowMs: number; readonly slideMs: number };
}

/** Output port name → stream. Output operations return `{}`. */
export type CompiledOutputs = Record<string, Stream>;

export interface NodeDefinition<S extends z.ZodObject = z.ZodObject> {
  readonly kind: string;
  readonly category: Category;
  readonly label: string;
  /** A line or two: what it does, in Spark's terms. */
  readonly doc: string;
  readonly inputs: readonly InputPort[];
  readonly outputs: readonly OutputPort[];
  /** Type, validation, defaults and the inspector form, from one source. */
  readonly config: S;
  /** Windowed nodes: their window and slide (ms), which diagnostics check against the parent's slide. */
  readonly window?: (config: z.output<S>) => { windowMs: number; slideMs?: number };
  /** Nodes that keep state across batches and therefore need checkpointing. */
  readonly stateful?: (config: z.output<S>) => boolean;
  /** Output ports whose stream type depends on the config (e.g. Map returning pairs). */
  readonly outputType?: (port: string, config: z.output<S>) => StreamType | undefined;
  /** Output operations: Spark refuses to start a context that has none. */
  readonly isOutput?: boolean;
  compile(ctx: CompileContext<z.output<S>>): CompiledOutputs;
}

/** Declares a node kind; the identity function exists to infer the config type. */
export function defineNode<S extends z.ZodObject>(def: NodeDefinition<S>): NodeDefinition<S> {
  return def;
}
