import { checkDuration } from "../dstream/DStream";
import type { Duration } from "../streaming/Duration";
import { IllegalArgumentException } from "../streaming/errors";
import type { Time } from "../streaming/Time";
import { HashPartitioner, type Partitioner } from "../rdd/Partitioner";
import type { RDD } from "../rdd/RDD";
import type { State } from "./State";

/** `(key, value, state) => mapped`: the result of every call is emitted. */
export type MappingFunction<K, V, S, E> = (key: K, value: V | undefined, state: State<S>) => E;
/** `(time, key, value, state) => mapped | undefined`: `undefined` (Spark's None) emits nothing. */
export type MappingFunctionWithTime<K, V, S, E> = (
  time: Time,
  key: K,
  value: V | undefined,
  state: State<S>,
) => E | undefined;

/** What the engine calls: one form for both, returning NONE for "emit nothing". */
export type InternalMappingFunction<K, V, S, E> = (
  time: Time,
  key: K,
  value: V | undefined,
  state: State<S>,
) => E | typeof NONE;
/** Spark's `None` from a mapping function: nothing is emitted. */
export const NONE: unique symbol = Symbol("None");

/**
 * Everything `mapWithState` needs (Spark's StateSpec): the mapping function and, optionally, the
 * state's partitioning, an initial state and an idle timeout. Build it with `StateSpec.function`
 * and chain the options:
 *
 *     StateSpec.function((key, value, state) => ...).numPartitions(4).timeout(Seconds(30))
 *
 * JavaScript cannot overload on a function's parameter types, so the time-first form is told
 * apart by its declared parameter count (4); wrap-around functions (`(...args) => f(...args)`)
 * should use `StateSpec.functionWithTime` instead.
 */
export class StateSpec<K, V, S, E> {
  private partitionerValue: Partitioner | undefined;
  private initialStateRDD: RDD<[K, S]> | undefined;
  private timeoutInterval: Duration | undefined;

  private constructor(readonly mappingFunction: InternalMappingFunction<K, V, S, E>) {}

  /** A spec from `(key, value, state) => mapped` (every result emitted) or `(time, key, value, state) => mapped | undefined`. */
  static function<K, V, S, E>(mappingFunction: MappingFunction<K, V, S, E>): StateSpec<K, V, S, E>;
  static function<K, V, S, E>(mappingFunction: MappingFunctionWithTime<K, V, S, E>): StateSpec<K, V, S, E>;
  static function<K, V, S, E>(
    mappingFunction: MappingFunction<K, V, S, E> | MappingFunctionWithTime<K, V, S, E>,
  ): StateSpec<K, V, S, E> {
    if (typeof mappingFunction !== "function") throw new IllegalArgumentException("requirement failed");
    if (mappingFunction.length >= 4)
      return StateSpec.functionWithTime(mappingFunction as MappingFunctionWithTime<K, V, S, E>);
    const f = mappingFunction as MappingFunction<K, V, S, E>;
    return new StateSpec<K, V, S, E>((_time, key, value, state) => f(key, value, state));
  }
  /** A spec from the time-first form, whatever its declared parameter count. */
  static functionWithTime<K, V, S, E>(mappingFunction: MappingFunctionWithTime<K, V, S, E>): StateSpec<K, V, S, E> {
    if (typeof mappingFunction !== "function") throw new IllegalArgumentException("requirement failed");
    return new StateSpec<K, V, S, E>((time, key, value, state) => {
      const r = mappingFunction(time, key, value, state);
      return r === undefined ? NONE : r;
    });
  }

  /** The state before the first batch; its keys count as updated at the first batch time. */
  initialState(rdd: RDD<[K, S]>): this {
    this.initialStateRDD = rdd;
    return this;
  }
  /** Hash-partitions the state into `numPartitions` partitions. */
  numPartitions(numPartitions: number): this {
    return this.partitioner(new HashPartitioner(numPartitions));
  }
  partitioner(partitioner: Partitioner): this {
    this.partitionerValue = partitioner;
    return this;
  }
  /** Drops keys idle for longer than `idleDuration`, after one last call with `isTimingOut()` true. */
  timeout(idleDuration: Duration): this {
    checkDuration(idleDuration, "The timeout");
    this.timeoutInterval = idleDuration;
    return this;
  }

  getPartitioner(): Partitioner | undefined {
    return this.partitionerValue;
  }
  getInitialStateRDD(): RDD<[K, S]> | undefined {
    return this.initialStateRDD;
  }
  getTimeoutInterval(): Duration | undefined {
    return this.timeoutInterval;
  }
}
