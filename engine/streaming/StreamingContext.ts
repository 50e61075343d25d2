import "../dstream/operations";
import type { DStream, AnyDStream } from "../dstream/DStream";
import { FileInputDStream } from "../dstream/FileInputDStream";
import type { InputDStream } from "../dstream/InputDStream";
import { QueueInputDStream } from "../dstream/QueueInputDStream";
import { PluggableInputDStream, type ReceiverInputDStream } from "../dstream/ReceiverInputDStream";
import { TransformedDStream } from "../dstream/TransformedDStream";
import { UnionDStream } from "../dstream/UnionDStream";
import type { RDD } from "../rdd/RDD";
import { SparkContext } from "../rdd/SparkContext";
import { v8Serializer } from "../rdd/storage/v8Serializer";
import { defaultPrintSink, type PrintSink } from "../sinks/print";
import { TransactionGeneratorReceiver, type TransactionGeneratorOptions } from "../sources/TransactionGeneratorReceiver";
import { SocketTextReceiver, type SocketTextOptions } from "../sources/SocketTextReceiver";
import { SystemClock, type Clock } from "./Clock";
import type { Duration } from "./Duration";
import { checkDuration } from "../dstream/DStream";
import { IllegalArgumentException, IllegalStateException } from "./errors";
import type { CheckpointRestoredEvent, StreamingEvent } from "./events";
import { CheckpointWriter, DEFAULT_CHECKPOINT_RETENTION } from "../checkpoint/CheckpointWriter";
import { getOrCreate, type CreatingFunction, type GetOrCreateOptions } from "../checkpoint/recovery";
import { DStreamGraph } from "./DStreamGraph";
import type { BatchHooks, BatchPreparer, RestartPoint } from "./JobGenerator";
import { JobScheduler } from "./JobScheduler";
import type { Receiver } from "./receiver/Receiver";
import { StreamingListenerBus, type StreamingListener } from "./StreamingListener";
import { createRateEstimator, type BackpressureSettings } from "./rate/RateEstimator";
import type { Time } from "./Time";

/** Lifecycle states of a StreamingContext (Spark's StreamingContextState). */
export const StreamingContextState = { INITIALIZED: "INITIALIZED", ACTIVE: "ACTIVE", STOPPED: "STOPPED" } as const;
export type StreamingContextState = (typeof StreamingContextState)[keyof typeof StreamingContextState];

export interface StreamingContextOptions {
  /** The clock batches follow: the system clock by default, a ManualClock in tests. */
  readonly clock?: Clock;
  /** How many output jobs may run at once (spark.streaming.concurrentJobs, default 1). */
  readonly concurrentJobs?: number;
  /** Partitions of shuffles and `makeRDD` by default (default 2). */
  readonly defaultParallelism?: number;
  /** Where `print()` writes (stdout by default). */
  readonly printSink?: PrintSink;
  /** Unpersist RDDs when they are forgotten (spark.streaming.unpersist, default true). */
  readonly unpersist?: boolean;
  /** Records sampled per stream and batch for `streamRecords` events (default 20). */
  readonly sampleSize?: number;
  /** Checkpoint files kept in the checkpoint directory (default 2: the newest and the previous one). */
  readonly checkpointRetention?: number;
  /** spark.streaming.backpressure.*: receiver streams take records at a PID-estimated rate. */
  readonly backpressure?: BackpressureSettings;
  /** spark.streaming.receiver.maxRate: records/s per receiver whose source sets no maximum of its own. */
  readonly receiverMaxRate?: number;
}

/** Options of `queueStream`. */
export interface QueueStreamOptions<T> {
  /** Take one RDD per batch (default) or all queued RDDs at once. */
  readonly oneAtATime?: boolean;
  /** The batch to use when the queue is empty (default: an empty RDD). */
  readonly defaultBatch?: RDD<T>;
}

export interface StopOptions {
  /** Stop receivers first and process all data they received (default false). */
  readonly stopGracefully?: boolean;
}

let activeContext: StreamingContext | undefined;

/**
 * The entry point (Spark's StreamingContext): create input streams, build the graph with
 * DStream operations, register outputs, then `start()`. One context may be active at a time.
 */
export class StreamingContext {
  readonly sparkContext: SparkContext;
  readonly graph = new DStreamGraph();
  readonly listenerBus = new StreamingListenerBus();
  readonly scheduler: JobScheduler;
  readonly clock: Clock;
  readonly concurrentJobs: number;
  readonly printSink: PrintSink;
  readonly unpersistOldRDDs: boolean;
  readonly sampleSize: number;
  readonly backpressure: BackpressureSettings | undefined;
  readonly receiverMaxRate: number | undefined;
  private state: StreamingContextState = StreamingContextState.INITIALIZED;
  private checkpointDirectory: string | undefined;
  /** Interval of metadata checkpoints (the batch duration once `checkpoint(dir)` is set). */
  checkpointDuration: Duration | undefined;
  private startedAtMs: number | undefined;
  private terminated: Promise<void>;
  private resolveTerminated!: () => void;
  private rejectTerminated!: (e: unknown) => void;
  private firstError: { error: unknown } | undefined;
  private readonly checkpointRetention: number;
  private definitionValue: unknown;
  /** Events raised before start (warnings from getOrCreate, the restore), posted when it starts. */
  private readonly eventsBeforeStart: StreamingEvent[] = [];
  private restored: CheckpointRestoredEvent | undefined;
  /** The checkpoint writer, once started with a checkpoint directory. */
  checkpointWriter: CheckpointWriter | undefined;

  /** A context whose batches are `batchDuration` long. */
  constructor(batchDuration: Duration, options: StreamingContextOptions = {}) {
    checkDuration(batchDuration, "The batch duration");
    this.graph.batchDuration = batchDuration;
    this.clock = options.clock ?? new SystemClock();
    this.concurrentJobs = options.concurrentJobs ?? 1;
    if (!(Number.isInteger(this.concurrentJobs) && this.concurrentJobs >= 1)) {
      throw new IllegalArgumentException(`concurrentJobs must be a whole number >= 1, got ${options.concurrentJobs}`);
    }
    this.sparkContext = new SparkContext(options.defaultParallelism ?? 2, v8Serializer);
    this.printSink = options.printSink ?? defaultPrintSink;
    this.unpersistOldRDDs = options.unpersist ?? true;
    this.sampleSize = options.sampleSize ?? 20;
    this.checkpointRetention = options.checkpointRetention ?? DEFAULT_CHECKPOINT_RETENTION;
    this.backpressure = options.backpressure;
    this.receiverMaxRate = options.receiverMaxRate;
    if (this.receiverMaxRate !== undefined && !(this.receiverMaxRate > 0)) {
      throw new IllegalArgumentException(`spark.streaming.receiver.maxRate must be > 0 records/s, got ${this.receiverMaxRate}`);
    }
    if (this.backpressure?.enabled) {
      const initial = this.backpressure.initialRate;
      if (initial !== undefined && !(initial > 0)) throw new IllegalArgumentException(`spark.streaming.backpressure.initialRate must be > 0 records/s, got ${initial}`);
      createRateEstimator(this.backpressure, batchDuration.milliseconds); // refuses bad PID terms now, not at start
    }
    this.scheduler = new JobScheduler(this);
    this.terminated = new Promise<void>((resolve, reject) => {
      this.resolveTerminated = resolve;
      this.rejectTerminated = reject;
    });
    this.terminated.catch(() => undefined); // rejections surface through awaitTermination only
  }

  /** Spark's `sc`: the batch-side context (makeRDD, emptyRDD, union). */
  get sc(): SparkContext {
    return this.sparkContext;
  }
  get batchDuration(): Duration {
    return this.graph.batchDuration;
  }
  getState(): StreamingContextState {
    return this.state;
  }

  // ---- settings ----------------------------------------------------------------------------

  /** Keeps every stream's RDDs for at least `duration` (e.g. for `slice`); may be set once. */
  remember(duration: Duration): void {
    checkDuration(duration, "The remember duration");
    this.graph.remember(duration);
  }
  /**
   * Sets the checkpoint directory and turns on checkpoints: after each checkpoint batch the
   * state, window data, source positions and pending batches are written there (see
   * `StreamingContext.getOrCreate` for recovery).
   */
  checkpoint(directory: string): void {
    this.checkpointDirectory = directory;
    this.sparkContext.checkpointDir = directory;
    this.checkpointDuration = this.graph.batchDuration;
  }
  get checkpointDir(): string | undefined {
    return this.checkpointDirectory;
  }
  /** Registers hooks run around every batch (Engine II's checkpoint writer plugs in here). */
  addBatchHooks(hooks: BatchHooks): void {
    this.scheduler.jobGenerator.addHooks(hooks);
  }
  /** Work a batch waits for before its jobs are generated (see BatchPreparer). */
  addBatchPreparer(preparer: BatchPreparer): void {
    this.scheduler.jobGenerator.addPreparer(preparer);
  }
  /**
   * Attaches a plain-data description of the graph (e.g. the pipeline document it was compiled
   * from). Checkpoints keep it, and `getOrCreate` hands it back to the creating function.
   */
  setDefinition(definition: unknown): void {
    this.definitionValue = definition;
  }
  get definition(): unknown {
    return this.definitionValue;
  }
  /** The checkpoint this context was restored from (by getOrCreate), if any. */
  get restoredFrom(): { readonly file: string; readonly checkpointTimeMs: number } | undefined {
    return this.restored;
  }
  /** @internal Records that a checkpoint was restored; the event is posted at start. */
  markRestored(event: CheckpointRestoredEvent): void {
    this.restored = event;
    this.eventsBeforeStart.push(event);
  }
  /**
   * Reports something the user should know that does not stop the context, as a `warning`
   * event (kept until start when raised before it; printed when nobody listens).
   */
  warn(code: string, message: string): void {
    const event: StreamingEvent = { type: "warning", timeMs: this.clock.getTimeMillis(), code, message };
    if (this.state === StreamingContextState.INITIALIZED) this.eventsBeforeStart.push(event);
    else this.postOrPrint(event);
  }
  private postOrPrint(event: StreamingEvent): void {
    if (this.listenerBus.hasListeners) this.listenerBus.post(event);
    else if (event.type === "warning") console.warn(`[dstream] ${event.message}`);
  }

  /** Resumes batch generation from a checkpoint's times at the next `start()`. */
  setRestartPoint(point: RestartPoint): void {
    this.scheduler.jobGenerator.restartPoint = point;
  }

  // ---- input streams -----------------------------------------------------------------------

  /** A stream taking RDDs from `queue` (an array, first in first out) at each batch. */
  queueStream<T>(queue: RDD<T>[], options: QueueStreamOptions<T> = {}): InputDStream<T> {
    return new QueueInputDStream(this, queue, options.oneAtATime ?? true, options.defaultBatch);
  }
  /** A stream fed by a custom receiver. */
  receiverStream<T>(receiver: Receiver<T>): ReceiverInputDStream<T> {
    return new PluggableInputDStream(this, receiver);
  }
  /** The article's KafkaTransactionProducer, in process: transaction log lines. */
  transactionStream(options: TransactionGeneratorOptions = {}): ReceiverInputDStream<string> {
    return this.receiverStream(new TransactionGeneratorReceiver(options));
  }
  /**
   * Lines of text received from a TCP server at host:port, UTF-8, one record per line (Spark's
   * socketTextStream, e.g. with `nc -lk 9999`); reconnects when the server is away.
   */
  socketTextStream(host: string, port: number, options: SocketTextOptions = {}): ReceiverInputDStream<string> {
    return this.receiverStream(new SocketTextReceiver(host, port, options));
  }
  /** Lines of new files appearing in `directory` (each file read once, in the batch of its mtime). */
  textFileStream(directory: string): InputDStream<string> {
    return new FileInputDStream(this, directory);
  }
  /** The union of streams with one slide duration. */
  union<T>(streams: readonly DStream<T>[]): DStream<T> {
    return new UnionDStream(streams);
  }
  /** An RDD function over several streams' batches (Spark's `ssc.transform`). */
  transform<U>(streams: readonly AnyDStream[], transformFunc: (rdds: RDD<unknown>[], time: Time) => RDD<U>): DStream<U> {
    return new TransformedDStream(streams, transformFunc);
  }

  // ---- events ------------------------------------------------------------------------------

  /** Adds a listener (a StreamingListener object or an event callback). */
  addStreamingListener(listener: StreamingListener | ((event: StreamingEvent) => void)): StreamingListener {
    return this.listenerBus.add(listener);
  }
  removeStreamingListener(listener: StreamingListener): void {
    this.listenerBus.remove(listener);
  }

  // ---- lifecycle ---------------------------------------------------------------------------

  /** Validates the graph and starts receivers and batch generation. */
  start(): void {
    if (this.state === StreamingContextState.ACTIVE) {
      console.warn("StreamingContext has already been started");
      return;
    }
    if (this.state === StreamingContextState.STOPPED) throw new IllegalStateException("StreamingContext has already been stopped");
    if (activeContext !== undefined && activeContext !== this) {
      throw new IllegalStateException(
        "Only one StreamingContext may be started in this process. Currently running StreamingContext was started at " +
          `${activeContext.startedAtMs} ms; stop it first.`,
      );
    }
    try {
      this.graph.validate();
      if (this.checkpointDirectory !== undefined && this.checkpointWriter === undefined) {
        this.checkpointWriter = new CheckpointWriter(this, this.checkpointDirectory, this.checkpointRetention);
        this.addBatchHooks(this.checkpointWriter.hooks);
      }
      this.scheduler.start();
    } catch (e) {
      this.state = StreamingContextState.STOPPED;
      this.resolveTerminated();
      throw e;
    }
    this.state = StreamingContextState.ACTIVE;
    this.startedAtMs = this.clock.getTimeMillis();
    // The process-wide "one active context" slot of StreamingContext.getActive().
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    activeContext = this;
    if (this.listenerBus.hasListeners) {
      this.listenerBus.post({
        type: "streamingStarted",
        timeMs: this.startedAtMs,
        zeroTimeMs: this.graph.zeroTime!.milliseconds,
        batchDurationMs: this.batchDuration.milliseconds,
      });
    }
    for (const e of this.eventsBeforeStart.splice(0)) this.postOrPrint(e);
  }

  /** Stops the context; gracefully, it first processes everything already received. */
  async stop(options: StopOptions = {}): Promise<void> {
    if (this.state === StreamingContextState.STOPPED) return;
    if (this.state === StreamingContextState.INITIALIZED) {
      this.state = StreamingContextState.STOPPED;
      this.resolveTerminated();
      return;
    }
    this.state = StreamingContextState.STOPPED;
    try {
      await this.scheduler.stop(options.stopGracefully ?? false);
      for (const input of this.graph.getInputStreams()) await input.stop();
    } finally {
      if (activeContext === this) activeContext = undefined;
      if (this.listenerBus.hasListeners) this.listenerBus.post({ type: "streamingStopped", timeMs: this.clock.getTimeMillis() });
      this.resolveTerminated();
    }
  }

  /** Resolves when the context stops; rejects with the first error reported by a batch. */
  awaitTermination(): Promise<void> {
    return this.terminated;
  }
  /** Like awaitTermination, but gives up after `timeout` (real time): true if stopped. */
  async awaitTerminationOrTimeout(timeout: Duration): Promise<boolean> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeout.milliseconds)));
    try {
      return await Promise.race([this.terminated.then(() => true), timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }
  /** Resolves when every batch due so far (by the clock) has completed: use with a ManualClock. */
  async awaitBatchesDue(): Promise<void> {
    await this.scheduler.awaitIdle();
  }

  /** @internal Records an error for awaitTermination (the first one wins, as in Spark). */
  notifyError(error: unknown): void {
    if (this.firstError !== undefined) return;
    this.firstError = { error };
    this.rejectTerminated(error);
  }
  /** The first error reported by a batch, if any. */
  get reportedError(): unknown {
    return this.firstError?.error;
  }

  /** The active (started, not stopped) context, if any. */
  static getActive(): StreamingContext | undefined {
    return activeContext;
  }
  /** The active context, or a new one from `createFn` (not started). */
  static getActiveOrCreate(createFn: () => StreamingContext): StreamingContext;
  /** The active context, else one recovered from `checkpointPath`, else a new one (Spark's order of preference). */
  static getActiveOrCreate(checkpointPath: string, createFn: CreatingFunction, options?: GetOrCreateOptions): StreamingContext;
  static getActiveOrCreate(a: string | (() => StreamingContext), createFn?: CreatingFunction, options?: GetOrCreateOptions): StreamingContext {
    if (activeContext !== undefined) return activeContext;
    return typeof a === "function" ? a() : getOrCreate(a, createFn!, options);
  }
  /**
   * Spark's getOrCreate: a context recovered from the newest readable checkpoint in
   * `checkpointPath`, or a new one from `createFn`. Closures cannot be saved, so recovery calls
   * `createFn` as well (with the checkpoint's info: file, time, definition) and then restores
   * state and source positions by stream id: `createFn` must build the same graph each time.
   * An unreadable checkpoint throws an error naming the file, unless `createOnError` is set.
   * The returned context is not started.
   */
  static getOrCreate(checkpointPath: string, createFn: CreatingFunction, options: GetOrCreateOptions = {}): StreamingContext {
    return getOrCreate(checkpointPath, createFn, options);
  }
}
