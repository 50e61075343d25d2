import type { Time } from "../../streaming/Time";
import type { RDD } from "../../rdd/RDD";
import type { StateSpec } from "../../state/StateSpec";
import { DStream } from "../DStream";
import { MapWithStateDStream } from "../MapWithStateDStream";
import { StateDStream, type StatePartitionUpdateFunc, type StateUpdateInput } from "../StateDStream";
import { pairPartitioner, type PartitionSpec } from "./pair";

/** `(values, state) => newState`: `undefined` state means none; returning `undefined` removes the key. */
export type UpdateFunc<V, S> = (values: V[], state: S | undefined) => S | undefined;
/** The time-first form: `(time, key, values, state) => newState | undefined`. */
export type UpdateFuncWithTime<K, V, S> = (time: Time, key: K, values: V[], state: S | undefined) => S | undefined;
/** The partition form: every (key, values, state) of a partition in, the [key, newState] pairs to keep out. */
export type UpdateIteratorFunc<K, V, S> = (records: StateUpdateInput<K, V, S>[]) => Iterable<[K, S]>;

declare module "../DStream" {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface DStream<T> {
    /**
     * Spark's partition form: `updateFunc` gets every (key, values, state) of a partition and
     * returns the pairs to keep; `rememberPartitioner` keeps the state partitioned by key.
     */
    updateStateByKey<K, V, S>(
      this: DStream<[K, V]>,
      updateFunc: UpdateIteratorFunc<K, V, S>,
      partitions: PartitionSpec,
      rememberPartitioner: boolean,
      initialRDD?: RDD<[K, S]>,
    ): DStream<[K, S]>;
    /**
     * State per key across batches: every batch, `updateFunc(values, state)` runs for every key
     * that has state or new values; returning `undefined` removes the key. Emits the whole state
     * each batch. Needs a checkpoint directory.
     */
    updateStateByKey<K, V, S>(
      this: DStream<[K, V]>,
      updateFunc: UpdateFunc<V, S>,
      partitions?: PartitionSpec,
      initialRDD?: RDD<[K, S]>,
    ): DStream<[K, S]>;
    /** The time-first form `(time, key, values, state) => newState | undefined` (declared with 4 parameters). */
    updateStateByKey<K, V, S>(
      this: DStream<[K, V]>,
      updateFunc: UpdateFuncWithTime<K, V, S>,
      partitions?: PartitionSpec,
      rememberPartitioner?: boolean,
      initialRDD?: RDD<[K, S]>,
    ): DStream<[K, S]>;
    /**
     * State per key, updated record by record: `spec`'s function runs once per record (never for
     * idle keys), so the cost follows the batch, not the state. Returns the mapped values; its
     * `stateSnapshots()` gives the whole state each batch. Needs a checkpoint directory.
     */
    mapWithState<K, V, S, E>(this: DStream<[K, V]>, spec: StateSpec<K, V, S, E>): MapWithStateDStream<K, V, S, E>;
  }
}

type AnyUpdate<K, V, S> = UpdateFunc<V, S> | UpdateFuncWithTime<K, V, S> | UpdateIteratorFunc<K, V, S>;

DStream.prototype.updateStateByKey = function <K, V, S>(
  this: DStream<[K, V]>,
  updateFunc: AnyUpdate<K, V, S>,
  partitions?: PartitionSpec,
  third?: boolean | RDD<[K, S]>,
  fourth?: RDD<[K, S]>,
): DStream<[K, S]> {
  const partitioner = pairPartitioner(this, partitions);
  const rememberPartitioner = typeof third === "boolean" ? third : true;
  const initialRDD = typeof third === "boolean" ? fourth : third;
  let f: StatePartitionUpdateFunc<K, V, S>;
  if (updateFunc.length >= 4) {
    // (time, key, values, state): called per key with the batch time.
    const g = updateFunc as UpdateFuncWithTime<K, V, S>;
    f = (time, records) => keep(records, (k, vs, s) => g(time, k, vs, s));
  } else if (typeof third === "boolean") {
    const g = updateFunc as UpdateIteratorFunc<K, V, S>;
    f = (_time, records) => g(records);
  } else {
    const g = updateFunc as UpdateFunc<V, S>;
    f = (_time, records) => keep(records, (_k, vs, s) => g(vs, s));
  }
  return new StateDStream(this, f, partitioner, rememberPartitioner, initialRDD);
};

/** The keys whose update returned a state (`undefined` removes a key, as Spark's None). */
function keep<K, V, S>(
  records: StateUpdateInput<K, V, S>[],
  update: (k: K, vs: V[], s: S | undefined) => S | undefined,
): [K, S][] {
  const out: [K, S][] = [];
  for (let i = 0; i < records.length; i++) {
    const [k, vs, s] = records[i];
    const next = update(k, vs, s);
    if (next !== undefined) out.push([k, next]);
  }
  return out;
}

DStream.prototype.mapWithState = function <K, V, S, E>(
  this: DStream<[K, V]>,
  spec: StateSpec<K, V, S, E>,
): MapWithStateDStream<K, V, S, E> {
  return new MapWithStateDStream(this, spec, pairPartitioner(this, undefined));
};
