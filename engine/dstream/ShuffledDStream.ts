import type { Partitioner } from "../rdd/Partitioner";
import type { RDD } from "../rdd/RDD";
import type { DStream } from "./DStream";
import { OneParentDStream } from "./MappedDStream";

/** combineByKey per batch: the stream behind groupByKey, reduceByKey and combineByKey. */
export class ShuffledDStream<K, V, C> extends OneParentDStream<[K, V], [K, C]> {
  constructor(
    parent: DStream<[K, V]>,
    private readonly createCombiner: (v: V) => C,
    private readonly mergeValue: (c: C, v: V) => C,
    private readonly mergeCombiner: (c1: C, c2: C) => C,
    private readonly partitioner: Partitioner,
    private readonly mapSideCombine = true,
  ) {
    super(parent);
  }
  protected computeFrom(rdd: RDD<[K, V]>): RDD<[K, C]> {
    return rdd.combineByKey(this.createCombiner, this.mergeValue, this.mergeCombiner, this.partitioner, this.mapSideCombine);
  }
}
