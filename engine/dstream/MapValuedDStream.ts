import type { RDD } from "../rdd/RDD";
import type { DStream } from "./DStream";
import { OneParentDStream } from "./MappedDStream";

/** `mapValues(f)`: keeps keys (and partitioning), maps values. */
export class MapValuedDStream<K, V, U> extends OneParentDStream<[K, V], [K, U]> {
  constructor(parent: DStream<[K, V]>, private readonly mapValueFunc: (v: V) => U) {
    super(parent);
  }
  protected computeFrom(rdd: RDD<[K, V]>): RDD<[K, U]> {
    return rdd.mapValues(this.mapValueFunc);
  }
}

/** `flatMapValues(f)`: keeps keys, any number of values per input value. */
export class FlatMapValuedDStream<K, V, U> extends OneParentDStream<[K, V], [K, U]> {
  constructor(parent: DStream<[K, V]>, private readonly flatMapValueFunc: (v: V) => Iterable<U>) {
    super(parent);
  }
  protected computeFrom(rdd: RDD<[K, V]>): RDD<[K, U]> {
    return rdd.flatMapValues(this.flatMapValueFunc);
  }
}
