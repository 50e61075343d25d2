import { Duration, Seconds } from "../streaming/Duration";
import { IllegalArgumentException, IllegalStateException, SparkException, UnsupportedOperationException, require } from "../streaming/errors";
import { Job } from "../streaming/Job";
import { Interval, Time } from "../streaming/Time";
import type { StreamingContext } from "../streaming/StreamingContext";
import { StorageLevel } from "../rdd/StorageLevel";
import { RDD } from "../rdd/RDD";

/**
 * Any stream, for parents and graph bookkeeping. DStream<T> is invariant in T (T appears in
 * callback parameters), so heterogeneous collections of streams need `any` here.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyDStream = DStream<any>;

/**
 * A discretized stream: a sequence of RDDs, one per batch time (Spark's DStream). Subclasses
 * declare their parents (`dependencies`), their `slideDuration` and `compute(time)`; the base
 * memoises generated RDDs per time, cleans them up after the remember duration, and holds the
 * checkpoint settings Engine II acts on. Fluent operations (`map`, `window`, ...) are added to
 * this class by the modules in `./operations/`, which `StreamingContext` loads.
 */
export abstract class DStream<T> {
  /** Stable id used by events, checkpoints and the UI; a default from construction order. */
  id: string;
  /** A human-readable name (the class name unless set). */
  name: string;
  readonly ssc: StreamingContext;
  /** RDDs generated per batch time (ms). */
  readonly generatedRDDs = new Map<number, RDD<T>>();
  zeroTime: Time | undefined;
  rememberDuration: Duration | undefined;
  /** The longest remember duration asked of this stream (by its children or the graph), checkpoint rules aside. */
  protected remembered: Duration | undefined;
  storageLevel: StorageLevel = StorageLevel.NONE;
  /** Streams whose RDDs depend on their own previous RDDs must be checkpointed (state, inverse window). */
  mustCheckpoint = false;
  checkpointDuration: Duration | undefined;
  /** Set by Engine II when the stream's RDDs come back from a checkpoint. */
  restoredFromCheckpointData = false;

  constructor(ssc: StreamingContext) {
    DStream.validateAtInit(ssc, new.target.name);
    this.ssc = ssc;
    this.name = new.target.name;
    this.id = ssc.graph.addStream(this as AnyDStream);
  }

  /** The streams this one is computed from. */
  abstract get dependencies(): readonly AnyDStream[];
  /** Time between two RDDs of this stream. */
  abstract get slideDuration(): Duration;
  /** This stream's RDD for a valid batch time, or undefined for "no RDD" (Spark's None). */
  abstract compute(validTime: Time): RDD<T> | undefined;

  /** How long parents must keep their RDDs for this stream (windows need more). */
  protected get parentRememberDuration(): Duration | undefined {
    return this.rememberDuration;
  }

  /** The StreamingContext of this stream (Spark's `context()`). */
  context(): StreamingContext {
    return this.ssc;
  }
  /** Overrides the stable id (a compiled pipeline uses `<nodeId>:<port>`). */
  withId(id: string): this {
    this.ssc.graph.renameStream(this.id, id);
    this.id = id;
    return this;
  }
  setName(name: string): this {
    this.name = name;
    return this;
  }
  get isInitialized(): boolean {
    return this.zeroTime !== undefined;
  }

  private static validateAtInit(ssc: StreamingContext, what: string): void {
    const state = ssc.getState();
    if (state === "ACTIVE") {
      throw new IllegalStateException(
        `Adding new inputs, transformations, and output operations after starting a context is not supported (while adding ${what})`,
      );
    }
    if (state === "STOPPED") {
      throw new IllegalStateException(
        `Adding new inputs, transformations, and output operations after stopping a context is not supported (while adding ${what})`,
      );
    }
  }

  // ---- start-up ----------------------------------------------------------------------------

  /** Sets the zero time and the default checkpoint and remember durations, then recurses. */
  initialize(zeroTime: Time): void {
    if (this.zeroTime !== undefined && !this.zeroTime.equals(zeroTime)) {
      throw new SparkException(`ZeroTime is already initialized to ${this.zeroTime}, cannot initialize it again to ${zeroTime}`);
    }
    this.zeroTime = zeroTime;
    // Default checkpoint interval: the smallest multiple of the slide that is >= 10 s.
    if (this.mustCheckpoint && this.checkpointDuration === undefined) {
      this.checkpointDuration = this.slideDuration.times(Math.ceil(Seconds(10).div(this.slideDuration)));
    }
    let minRemember = this.slideDuration;
    if (this.checkpointDuration !== undefined && minRemember.lessEq(this.checkpointDuration)) {
      minRemember = this.checkpointDuration.times(2);
    }
    if (this.rememberDuration === undefined || this.rememberDuration.less(minRemember)) this.rememberDuration = minRemember;
    for (const d of this.dependencies) d.initialize(zeroTime);
  }

  /** Keeps generated RDDs for at least `duration`, and asks parents for what they need. */
  remember(duration: Duration | undefined): void {
    if (duration !== undefined && (this.remembered === undefined || duration.greater(this.remembered))) this.remembered = duration;
    if (duration !== undefined && (this.rememberDuration === undefined || duration.greater(this.rememberDuration))) {
      this.rememberDuration = duration;
    }
    for (const d of this.dependencies) d.remember(this.parentRememberDuration);
  }

  /** Spark's start-time checks (checkpoint directory, intervals, remember duration), recursively. */
  validateAtStart(): void {
    const cls = this.constructor.name;
    const slide = this.slideDuration;
    const cp = this.checkpointDuration;
    require(this.rememberDuration !== undefined, "Remember duration is set to null");
    require(!this.mustCheckpoint || cp !== undefined, `The checkpoint interval for ${cls} has not been set. Please use DStream.checkpoint() to set the interval.`);
    // Spark's text, then the stream that needs the directory (Spark's message does not say).
    require(cp === undefined || this.ssc.checkpointDir !== undefined, () => `The checkpoint directory has not been set. Please set it by StreamingContext.checkpoint(). [stream: ${this}]`);
    require(cp === undefined || cp.greaterEq(slide), () => `The checkpoint interval for ${cls} has been set to ${cp} which is lower than its slide time (${slide}). Please set it to at least ${slide}.`);
    require(cp === undefined || cp.isMultipleOf(slide), () => `The checkpoint interval for ${cls} has been set to  ${cp} which not a multiple of its slide time (${slide}). Please set it to a multiple of ${slide}.`);
    require(cp === undefined || this.storageLevel !== StorageLevel.NONE, `${cls} has been marked for checkpointing but the storage level has not been set to enable persisting. Please use DStream.persist() to set the storage level to use memory for better checkpointing performance.`);
    require(cp === undefined || this.rememberDuration!.greater(cp), () => `The remember duration for ${cls} has been set to  ${this.rememberDuration} which is not more than the checkpoint interval (${cp}). Please set it to a value higher than ${cp}.`);
    for (const d of this.dependencies) d.validateAtStart();
  }

  // ---- per batch ---------------------------------------------------------------------------

  /** Whether this stream has an RDD at `time`: after the zero time and on its slide grid. */
  isTimeValid(time: Time): boolean {
    if (this.zeroTime === undefined) throw new SparkException(`${this} has not been initialized`);
    return time.greater(this.zeroTime) && time.since(this.zeroTime).isMultipleOf(this.slideDuration);
  }

  /** The RDD for `time`: memoised, persisted and marked for checkpointing per this stream's settings. */
  getOrCompute(time: Time): RDD<T> | undefined {
    const memo = this.generatedRDDs.get(time.milliseconds);
    if (memo !== undefined) return memo;
    if (!this.isTimeValid(time)) return undefined;
    const rdd = this.compute(time);
    if (rdd === undefined) return undefined;
    // Batches stay objects whatever the level says (a serialized level would cost a serialize per
    // batch and a deserialize per read); checkpoints serialize what they write.
    if (this.storageLevel !== StorageLevel.NONE && rdd.getStorageLevel() === StorageLevel.NONE) rdd.persist(this.storageLevel.asDeserialized());
    if (this.checkpointDuration !== undefined && time.since(this.zeroTime!).isMultipleOf(this.checkpointDuration)) rdd.checkpoint();
    if (rdd.origin === undefined) {
      rdd.origin = { streamId: this.id, streamName: this.name, timeMs: time.milliseconds, observer: this.ssc.scheduler.observerFor(time) };
    }
    this.generatedRDDs.set(time.milliseconds, rdd);
    return rdd;
  }

  /** The job for `time` (output streams only); by default it computes every partition. */
  generateJob(time: Time): Job | undefined {
    const rdd = this.getOrCompute(time);
    if (rdd === undefined) return undefined;
    return new Job(time, () => void rdd.count(), this.id, this.name);
  }

  /** Forgets (and unpersists) RDDs older than the remember duration, then recurses. */
  clearMetadata(time: Time): void {
    const threshold = time.milliseconds - this.rememberDuration!.milliseconds;
    for (const [t, rdd] of this.generatedRDDs) {
      if (t <= threshold) {
        this.generatedRDDs.delete(t);
        if (this.ssc.unpersistOldRDDs) rdd.unpersist();
      }
    }
    for (const d of this.dependencies) d.clearMetadata(time);
  }

  /** Engine II hook: called after a batch, before a checkpoint is written. */
  updateCheckpointData(time: Time): void {
    for (const d of this.dependencies) d.updateCheckpointData(time);
  }
  /** Engine II hook: called when the graph is rebuilt from a checkpoint. */
  restoreCheckpointData(): void {
    for (const d of this.dependencies) d.restoreCheckpointData();
    this.restoredFromCheckpointData = true;
  }

  // ---- what a checkpoint keeps of this stream (Engine II) -----------------------------------

  /**
   * The RDDs a checkpoint taken after batch `time` must keep so that a rebuilt graph can go on
   * from there. A stream that must be checkpointed (its RDDs are built from its own earlier ones:
   * state, inverse windows) needs its latest RDD; other streams need nothing, they are recomputed
   * from their parents. Streams needing more (the inverse window's per-batch reductions) override.
   */
  checkpointRDDs(time: Time): [AnyDStream, Time][] {
    if (!this.mustCheckpoint) return [];
    const last = this.latestTimeAtOrBefore(time);
    return last === undefined ? [] : [[this as AnyDStream, last]];
  }
  /** The latest time at or before `time` on this stream's grid and after its zero time. */
  latestTimeAtOrBefore(time: Time): Time | undefined {
    if (this.zeroTime === undefined) return undefined;
    const last = time.floor(this.slideDuration, this.zeroTime);
    return last.greater(this.zeroTime) ? last : undefined;
  }
  /** This stream's RDD at `time` as structured-clone data for a checkpoint (default: the partitions' records). */
  encodeCheckpointRDD(rdd: RDD<T>): unknown {
    const parts = rdd.doCheckpoint() ?? Array.from({ length: rdd.numPartitions }, (_, i) => rdd.iterator(i));
    return parts.map((p) => (Array.isArray(p) ? p : [...p]));
  }
  /** The RDD that `encodeCheckpointRDD` encoded. */
  decodeCheckpointRDD(data: unknown): RDD<T> {
    return RDD.fromPartitions(this.ssc.sparkContext, data as T[][]);
  }
  /** Puts back an RDD read from a checkpoint (before the restarted context starts). */
  restoreCheckpointRDD(time: Time, data: unknown): void {
    const rdd = this.decodeCheckpointRDD(data);
    rdd.origin ??= { streamId: this.id, streamName: this.name, timeMs: time.milliseconds };
    this.generatedRDDs.set(time.milliseconds, rdd);
  }

  // ---- settings ----------------------------------------------------------------------------

  /** Persists every generated RDD at `level` (MEMORY_ONLY_SER by default, the streaming default). */
  persist(level: StorageLevel = StorageLevel.MEMORY_ONLY_SER): this {
    if (this.isInitialized) {
      throw new UnsupportedOperationException(`Cannot change storage level of a DStream after streaming context has started (${this})`);
    }
    this.storageLevel = level;
    return this;
  }
  cache(): this {
    return this.persist();
  }
  /** Checkpoints generated RDDs every `interval` (a multiple of the slide); also persists. */
  checkpoint(interval: Duration): this {
    if (this.isInitialized) {
      throw new UnsupportedOperationException(`Cannot change checkpoint interval of a DStream after streaming context has started (${this})`);
    }
    this.persist();
    this.checkpointDuration = interval;
    return this;
  }

  // ---- slice -------------------------------------------------------------------------------

  /** The RDDs from `fromTime` to `toTime` (both included), computing missing ones on demand. */
  slice(fromTime: Time, toTime: Time): RDD<T>[];
  slice(interval: Interval): RDD<T>[];
  slice(a: Time | Interval, b?: Time): RDD<T>[] {
    const [from, to] = a instanceof Interval ? [a.beginTime, a.endTime] : [a, b!];
    const out: RDD<T>[] = [];
    for (const t of this.sliceTimes(from, to)) {
      const rdd = this.getOrCompute(t);
      if (rdd !== undefined) out.push(rdd);
    }
    return out;
  }

  /** The batch times `slice(from, to)` visits: bounds floored onto the grid, times before zero skipped. */
  sliceTimes(fromTime: Time, toTime: Time): Time[] {
    if (this.zeroTime === undefined) throw new SparkException(`${this} has not been initialized`);
    const zero = this.zeroTime;
    const align = (t: Time): Time => (t.since(zero).isMultipleOf(this.slideDuration) ? t : t.floor(this.slideDuration, zero));
    return align(fromTime).to(align(toTime), this.slideDuration).filter((t) => t.greaterEq(zero));
  }

  /** Registers this stream as an output of the graph (output streams call it when built). */
  register(): this {
    this.ssc.graph.addOutputStream(this as AnyDStream);
    return this;
  }

  toString(): string {
    return `${this.name} [${this.id}]`;
  }
}

/** Spark's checks for multi-parent streams (union, transform): same context, same slide. Returns the first. */
export function checkParents<P extends AnyDStream>(parents: readonly P[], emptyMessage: string): P {
  require(parents.length > 0, emptyMessage);
  require(new Set(parents.map((p) => p.ssc)).size === 1, "Some of the DStreams have different contexts");
  require(
    new Set(parents.map((p) => p.slideDuration.milliseconds)).size === 1,
    () => `Some of the DStreams have different slide durations (${parents.map((p) => `${p}: ${p.slideDuration}`).join(", ")})`,
  );
  return parents[0];
}

/** Asserts that a duration is a positive whole number of milliseconds. */
export function checkDuration(d: Duration, what: string): void {
  if (!(d instanceof Duration) || !(d.milliseconds > 0) || !Number.isInteger(d.milliseconds)) {
    throw new IllegalArgumentException(`${what} must be a positive Duration (e.g. Seconds(10)), got ${String(d)}`);
  }
}
