import type { Duration } from "../streaming/Duration";
import type { Time } from "../streaming/Time";
import type { Partitioner } from "../rdd/Partitioner";
import { RDD } from "../rdd/RDD";
import { StorageLevel } from "../rdd/StorageLevel";
import { DStream, type AnyDStream } from "./DStream";

/** One key's input to an update: its key, this batch's values (maybe none) and its state (maybe none). */
export type StateUpdateInput<K, V, S> = readonly [key: K, values: V[], state: S | undefined];

/**
 * updateStateByKey's function over a partition (Spark's most general form): for each key with
 * state or new values, the new [key, state] pairs; a key left out loses its state.
 */
export type StatePartitionUpdateFunc<K, V, S> = (time: Time, records: StateUpdateInput<K, V, S>[]) => Iterable<[K, S]>;

/**
 * `updateStateByKey` (Spark's StateDStream): the state is an RDD of [key, state] carried from
 * batch to batch. Every batch cogroups the batch's values with the previous state and calls the
 * update function for EVERY key that has state or values, so its cost grows with the state, not
 * with the batch (mapWithState is the alternative whose cost follows the batch):
 *
 *     state(t) = update( cogroup( values(t), state(t - slide) ) )   over all keys
 *
 *     parent(t)   None       None        Some      Some
 *     state(t-1)  None       Some        None      Some
 *     state(t)    None       update(s,   update(   update(values
 *                            no values)  values)   cogroup state)
 *
 * The first batch with data starts from `initialRDD` when given. The output of every batch is
 * the whole new state. Its RDDs are built from its own previous RDD, so it must be checkpointed.
 */
export class StateDStream<K, V, S> extends DStream<[K, S]> {
  constructor(
    readonly parent: DStream<[K, V]>,
    private readonly updateFunc: StatePartitionUpdateFunc<K, V, S>,
    readonly partitioner: Partitioner,
    private readonly preservePartitioning: boolean,
    private readonly initialRDD: RDD<[K, S]> | undefined,
  ) {
    super(parent.ssc);
    this.mustCheckpoint = true;
    super.persist(StorageLevel.MEMORY_ONLY);
  }

  get dependencies(): readonly AnyDStream[] {
    return [this.parent];
  }
  get slideDuration(): Duration {
    return this.parent.slideDuration;
  }

  /**
   * Spark persists state RDDs serialized (MEMORY_ONLY_SER). A structured-clone copy would strip
   * class instances of their prototype, so the default here keeps objects (MEMORY_ONLY);
   * `checkpoint(interval)` therefore keeps them as objects too. An explicit level is honoured.
   */
  override persist(level: StorageLevel = StorageLevel.MEMORY_ONLY): this {
    return super.persist(level);
  }

  /**
   * Each state RDD is marked for checkpointing, so that after its batch the graph materializes
   * it and cuts its lineage: a state RDD depends on the previous one and on this batch's shuffle,
   * and without the cut every remembered batch would pin its whole cogroup (the full state again)
   * until the next checkpoint interval. Reliable checkpoints (files) still follow the interval.
   */
  compute(validTime: Time): RDD<[K, S]> | undefined {
    const rdd = this.computeState(validTime);
    rdd?.checkpoint();
    return rdd;
  }

  private computeState(validTime: Time): RDD<[K, S]> | undefined {
    const prevStateRDD = this.getOrCompute(validTime.minus(this.slideDuration));
    const parentRDD = this.parent.getOrCompute(validTime);
    if (prevStateRDD !== undefined) {
      if (parentRDD !== undefined) return this.computeUsingPreviousRDD(validTime, parentRDD, prevStateRDD);
      // No new data: every key's state is updated with no values.
      return prevStateRDD.mapPartitions(
        (records) =>
          this.updateFunc(
            validTime,
            records.map(([k, s]) => [k, [], s] as StateUpdateInput<K, V, S>),
          ),
        this.preservePartitioning,
      );
    }
    if (parentRDD === undefined) return undefined;
    if (this.initialRDD !== undefined) return this.computeUsingPreviousRDD(validTime, parentRDD, this.initialRDD);
    const grouped = parentRDD.groupByKey(this.partitioner);
    return grouped.mapPartitions(
      (records) =>
        this.updateFunc(
          validTime,
          records.map(([k, vs]) => [k, vs, undefined] as StateUpdateInput<K, V, S>),
        ),
      this.preservePartitioning,
    );
  }

  private computeUsingPreviousRDD(batchTime: Time, parentRDD: RDD<[K, V]>, prevStateRDD: RDD<[K, S]>): RDD<[K, S]> {
    const cogrouped = parentRDD.cogroup(prevStateRDD, this.partitioner);
    return cogrouped.mapPartitions(
      (records) =>
        this.updateFunc(
          batchTime,
          records.map(([k, [vs, ss]]) => [k, vs, ss.length > 0 ? ss[0] : undefined] as StateUpdateInput<K, V, S>),
        ),
      this.preservePartitioning,
    );
  }
}
