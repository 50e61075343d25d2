import type { Duration } from "../streaming/Duration";
import type { Time } from "../streaming/Time";
import type { Partitioner } from "../rdd/Partitioner";
import { RDD } from "../rdd/RDD";
import { StorageLevel } from "../rdd/StorageLevel";
import { MapWithStateRDD, MapWithStateRDDRecord } from "../state/MapWithStateRDD";
import type { StateEntry } from "../state/StateMap";
import type { StateSpec } from "../state/StateSpec";
import { DStream, type AnyDStream } from "./DStream";

/** mapWithState's default checkpoint interval, in slides (Spark's DEFAULT_CHECKPOINT_DURATION_MULTIPLIER). */
export const DEFAULT_CHECKPOINT_DURATION_MULTIPLIER = 10;

/**
 * The stream of state RDDs behind mapWithState (Spark's InternalMapWithStateDStream). Batch t's
 * RDD is a MapWithStateRDD over the previous batch's state RDD and batch t's data partitioned by
 * the spec's partitioner; the first batch starts from the spec's initial state (loaded with
 * update time = the first batch time). An RDD is made every batch, even without data, so that
 * state carries on and timeouts are found.
 *
 * It must be checkpointed: default interval 10 x slide. Timed-out keys are looked for only in
 * batches whose RDD is checkpointed (Spark's full scan); the timeout threshold is t - timeout.
 */
export class InternalMapWithStateDStream<K, V, S, E> extends DStream<MapWithStateRDDRecord<K, S, E>> {
  readonly partitioner: Partitioner;

  constructor(
    readonly parent: DStream<[K, V]>,
    readonly spec: StateSpec<K, V, S, E>,
    defaultPartitioner: Partitioner,
  ) {
    super(parent.ssc);
    this.partitioner = spec.getPartitioner() ?? defaultPartitioner;
    this.mustCheckpoint = true;
    super.persist(StorageLevel.MEMORY_ONLY);
  }

  get dependencies(): readonly AnyDStream[] {
    return [this.parent];
  }
  get slideDuration(): Duration {
    return this.parent.slideDuration;
  }
  /** The records hold live state maps: keep them as objects whatever `checkpoint()` asks. */
  override persist(level: StorageLevel = StorageLevel.MEMORY_ONLY): this {
    return super.persist(level);
  }

  override initialize(zeroTime: Time): void {
    if (this.checkpointDuration === undefined)
      this.checkpointDuration = this.slideDuration.times(DEFAULT_CHECKPOINT_DURATION_MULTIPLIER);
    super.initialize(zeroTime);
  }

  /**
   * Spark keeps state RDDs for two checkpoint intervals (here 200 batches' worth by default), and
   * each holds its state version and mapped values, so every transaction of that span stays
   * reachable. Only the streams reading this one (the mapped values, the snapshots) and the next
   * batch read them again: a batch older than what those streams remember, whose next batch is
   * fully computed, lets go of its data. The RDDs themselves stay, as Spark's bookkeeping expects.
   */
  override clearMetadata(time: Time): void {
    const keep = Math.max(this.remembered?.milliseconds ?? 0, this.slideDuration.milliseconds);
    const threshold = time.milliseconds - keep;
    for (const [t, rdd] of this.generatedRDDs) {
      if (t > threshold || !(rdd instanceof MapWithStateRDD)) continue;
      const next = this.generatedRDDs.get(t + this.slideDuration.milliseconds);
      if (next instanceof MapWithStateRDD && next.isComputed) rdd.release();
    }
    super.clearMetadata(time);
  }

  compute(validTime: Time): RDD<MapWithStateRDDRecord<K, S, E>> {
    const sc = this.ssc.sparkContext;
    let prevStateRDD = this.getOrCompute(validTime.minus(this.slideDuration));
    if (prevStateRDD === undefined) {
      prevStateRDD = MapWithStateRDD.createFromPairRDD<K, S, E>(
        this.spec.getInitialStateRDD() ?? sc.emptyRDD(),
        this.partitioner,
        validTime,
      );
    } else if (!this.partitioner.equals(prevStateRDD.partitioner)) {
      const prev = prevStateRDD;
      prevStateRDD = MapWithStateRDD.createFromEntries<K, S, E>(
        prev.flatMap((r) => r.stateMap.getAll()),
        this.partitioner,
      );
    }
    const dataRDD = this.parent.getOrCompute(validTime) ?? sc.emptyRDD<[K, V]>();
    const partitionedDataRDD = dataRDD.partitionBy(this.partitioner);
    const timeout = this.spec.getTimeoutInterval();
    const threshold = timeout === undefined ? undefined : validTime.minus(timeout).milliseconds;
    return new MapWithStateRDD(prevStateRDD, partitionedDataRDD, this.spec.mappingFunction, validTime, threshold);
  }

  /** A checkpoint keeps each partition's entries as [key, state, updateTime] triples. */
  override encodeCheckpointRDD(rdd: RDD<MapWithStateRDDRecord<K, S, E>>): unknown {
    const parts = rdd.doCheckpoint() ?? Array.from({ length: rdd.numPartitions }, (_, i) => rdd.iterator(i));
    return parts.map((records) => {
      const out: [K, S, number][] = [];
      for (const r of records) for (const e of r.stateMap.getAll()) out.push([e.key, e.state, e.updateTime]);
      return out;
    });
  }
  /** Rebuilds the state RDD, re-partitioned by this stream's partitioner (it may have changed). */
  override decodeCheckpointRDD(data: unknown): RDD<MapWithStateRDDRecord<K, S, E>> {
    const parts = (data as [K, S, number][][]).map((p) =>
      p.map(([key, state, updateTime]): StateEntry<K, S> => ({ key, state, updateTime })),
    );
    return MapWithStateRDD.createFromEntries<K, S, E>(
      RDD.fromPartitions(this.ssc.sparkContext, parts),
      this.partitioner,
    );
  }
}

/**
 * What `mapWithState` returns (Spark's MapWithStateDStream): the stream of values the mapping
 * function returned, plus `stateSnapshots()`, the stream of every (key, state) after each batch.
 * Snapshots are lazy: a batch's snapshot reads the whole state only if an output consumes it.
 */
export class MapWithStateDStream<K, V, S, E> extends DStream<E> {
  readonly internalStream: InternalMapWithStateDStream<K, V, S, E>;

  constructor(parent: DStream<[K, V]>, spec: StateSpec<K, V, S, E>, defaultPartitioner: Partitioner) {
    super(parent.ssc);
    this.internalStream = new InternalMapWithStateDStream(parent, spec, defaultPartitioner);
  }

  get dependencies(): readonly AnyDStream[] {
    return [this.internalStream];
  }
  get slideDuration(): Duration {
    return this.internalStream.slideDuration;
  }
  compute(validTime: Time): RDD<E> | undefined {
    return this.internalStream
      .getOrCompute(validTime)
      ?.mapPartitions((records) =>
        records.length === 1 ? records[0].mappedData : records.flatMap((r) => r.mappedData),
      );
  }

  /** Every (key, state) after each batch, touched or not. */
  stateSnapshots(): DStream<[K, S]> {
    return new StateSnapshotsDStream(this.internalStream);
  }

  /** Sets the checkpoint interval of the state stream (this stream itself is not checkpointed). */
  override checkpoint(interval: Duration): this {
    this.internalStream.checkpoint(interval);
    return this;
  }

  /** The state stream follows this stream's id: `<id>/state`, stable across rebuilds of a pipeline. */
  override withId(id: string): this {
    super.withId(id);
    this.internalStream.withId(`${id}/state`);
    return this;
  }
}

/** `stateSnapshots()`: each batch's whole state as [key, state] pairs, partitioned like the state. */
export class StateSnapshotsDStream<K, V, S, E> extends DStream<[K, S]> {
  constructor(readonly internalStream: InternalMapWithStateDStream<K, V, S, E>) {
    super(internalStream.ssc);
  }
  get dependencies(): readonly AnyDStream[] {
    return [this.internalStream];
  }
  get slideDuration(): Duration {
    return this.internalStream.slideDuration;
  }
  compute(validTime: Time): RDD<[K, S]> | undefined {
    return this.internalStream.getOrCompute(validTime)?.mapPartitions((records) => {
      const out: [K, S][] = [];
      for (const r of records) for (const e of r.stateMap.getAll()) out.push([e.key, e.state]);
      return out;
    }, true);
  }
}
