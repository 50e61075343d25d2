import type { Time } from "../streaming/Time";
import type { Partitioner } from "../rdd/Partitioner";
import { RDD } from "../rdd/RDD";
import type { SparkContext } from "../rdd/SparkContext";
import { IllegalStateException } from "../streaming/errors";
import { StateImpl } from "./State";
import { StateMap, type StateEntry } from "./StateMap";
import { NONE, type InternalMappingFunction } from "./StateSpec";

/**
 * The single record of each partition of a MapWithStateRDD (Spark's MapWithStateRDDRecord): the
 * partition's state after the batch, and what the mapping function returned during the batch.
 * A class, so that the block manager keeps it as an object instead of serializing the state.
 */
export class MapWithStateRDDRecord<K, S, E> {
  private map: StateMap<K, S> | undefined;
  private data: E[] | undefined;
  constructor(stateMap: StateMap<K, S>, mappedData: E[]) {
    this.map = stateMap;
    this.data = mappedData;
  }
  get stateMap(): StateMap<K, S> {
    if (this.map === undefined) throw released();
    return this.map;
  }
  get mappedData(): E[] {
    if (this.data === undefined) throw released();
    return this.data;
  }
  /**
   * Lets go of the state version and the mapped values once no stream will read them again, so
   * that old versions (and the records their undo logs hold) become garbage.
   */
  release(): void {
    this.map = undefined;
    this.data = undefined;
  }
  get isReleased(): boolean {
    return this.map === undefined;
  }
}

const released = () =>
  new IllegalStateException("this batch's mapWithState state was released: it is older than any stream reading it remembers");

/**
 * One partition's batch (Spark's MapWithStateRDDRecord.updateRecordWithData): the function runs
 * once per record, in arrival order, so a key seen twice is called twice and the second call sees
 * the first one's update. Keys without records are not called. With `removeTimedoutData` (the
 * batch is a checkpoint batch), keys last updated before `timeoutThresholdMs` get one last call
 * with no value and `isTimingOut()` true, then are dropped.
 */
export function updateRecordWithData<K, V, S, E>(
  prevRecord: MapWithStateRDDRecord<K, S, E> | undefined,
  data: readonly (readonly [K, V])[],
  mappingFunction: InternalMappingFunction<K, V, S, E>,
  batchTime: Time,
  timeoutThresholdMs: number | undefined,
  removeTimedoutData: boolean,
): MapWithStateRDDRecord<K, S, E> {
  const stateMap = prevRecord === undefined ? StateMap.empty<K, S>() : prevRecord.stateMap.copy();
  const mapped: E[] = [];
  const state = new StateImpl<S>();
  const batchMs = batchTime.milliseconds;
  const hasTimeout = timeoutThresholdMs !== undefined;
  for (let i = 0; i < data.length; i++) {
    const key = data[i][0];
    const entry = stateMap.getEntry(key);
    state.wrap(entry !== undefined, entry?.state);
    const returned = mappingFunction(batchTime, key, data[i][1], state);
    if (state.isRemoved()) stateMap.remove(key);
    // With a timeout, a key that received data is refreshed even if the function left it alone.
    else if (state.isUpdated() || (hasTimeout && state.exists())) stateMap.put(key, state.get(), batchMs);
    if (returned !== NONE) mapped.push(returned);
  }
  if (removeTimedoutData && hasTimeout) {
    const timedOut = [...stateMap.getByTime(timeoutThresholdMs)];
    for (const e of timedOut) {
      state.wrapTimingOutState(e.state);
      const returned = mappingFunction(batchTime, e.key, undefined, state);
      if (returned !== NONE) mapped.push(returned);
      stateMap.remove(e.key);
    }
  }
  return new MapWithStateRDDRecord(stateMap, mapped);
}

/**
 * The state RDD of mapWithState (Spark's MapWithStateRDD): partition i is computed from partition
 * i of the previous batch's state RDD and partition i of this batch's data, both partitioned by
 * the same partitioner. Each partition is computed once and remembered, so that the state map's
 * versions advance exactly once per batch. Marking it for checkpointing also turns on the full
 * scan for timed-out keys, as in Spark: timeouts are found on checkpoint batches only.
 */
export class MapWithStateRDD<K, V, S, E> extends RDD<MapWithStateRDDRecord<K, S, E>> {
  private readonly scan: { full: boolean };
  private readonly done: (MapWithStateRDDRecord<K, S, E>[] | undefined)[];

  constructor(
    prevStateRDD: RDD<MapWithStateRDDRecord<K, S, E>>,
    partitionedDataRDD: RDD<[K, V]>,
    mappingFunction: InternalMappingFunction<K, V, S, E>,
    readonly batchTime: Time,
    readonly timeoutThresholdMs: number | undefined,
  ) {
    const partitioner = prevStateRDD.partitioner!;
    const done: (MapWithStateRDDRecord<K, S, E>[] | undefined)[] = new Array(partitioner.numPartitions);
    const scan = { full: false };
    super(
      prevStateRDD.sc,
      partitioner.numPartitions,
      (i) => {
        const memo = done[i];
        if (memo !== undefined) return memo;
        const prev = prevStateRDD.iterator(i)[0];
        const data = partitionedDataRDD.iterator(i);
        const out = [updateRecordWithData(prev, data, mappingFunction, batchTime, timeoutThresholdMs, scan.full)];
        done[i] = out;
        return out;
      },
      [prevStateRDD, partitionedDataRDD] as RDD<unknown>[],
      partitioner,
    );
    this.scan = scan;
    this.done = done;
  }

  /** Whether every partition was computed (the next batch's partitions no longer need this one's parents). */
  get isComputed(): boolean {
    for (let i = 0; i < this.done.length; i++) if (this.done[i] === undefined) return false;
    return true;
  }
  /** Releases the records of every partition (see MapWithStateRDDRecord.release). */
  release(): void {
    for (const records of this.done) if (records !== undefined) for (const r of records) r.release();
  }

  override checkpoint(): void {
    super.checkpoint();
    this.scan.full = true;
  }
  /** Looks for timed-out keys in this batch even if it is not checkpointed. */
  setFullScan(): void {
    this.scan.full = true;
  }

  /** A state RDD holding `pairs` as states last updated at `updateTime` (the initial state). */
  static createFromPairRDD<K, S, E>(
    pairs: RDD<[K, S]>,
    partitioner: Partitioner,
    updateTime: Time,
  ): RDD<MapWithStateRDDRecord<K, S, E>> {
    const t = updateTime.milliseconds;
    return MapWithStateRDD.createFromEntries(
      pairs.map(([key, state]) => ({ key, state, updateTime: t })),
      partitioner,
    );
  }

  /** A state RDD holding these entries (their keys, states and update times), partitioned anew. */
  static createFromEntries<K, S, E>(
    entries: RDD<StateEntry<K, S>>,
    partitioner: Partitioner,
  ): RDD<MapWithStateRDDRecord<K, S, E>> {
    const n = partitioner.numPartitions;
    let buckets: StateEntry<K, S>[][] | undefined;
    const records: (MapWithStateRDDRecord<K, S, E>[] | undefined)[] = new Array(n);
    const sc: SparkContext = entries.sc;
    return new RDD(
      sc,
      n,
      (i) => {
        if (buckets === undefined) {
          const out: StateEntry<K, S>[][] = Array.from({ length: n }, () => []);
          for (let p = 0; p < entries.numPartitions; p++)
            for (const e of entries.iterator(p)) out[partitioner.getPartition(e.key)].push(e);
          buckets = out;
        }
        return (records[i] ??= [new MapWithStateRDDRecord<K, S, E>(StateMap.fromEntries(buckets[i]), [])]);
      },
      [entries as RDD<unknown>],
      partitioner,
    );
  }
}
