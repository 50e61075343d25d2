import type { RDD } from "../rdd/RDD";
import type { DStream } from "./DStream";
import { OneParentDStream } from "./MappedDStream";

/** `mapPartitions(f)`: `f` sees each whole partition of each batch. */
export class MapPartitionedDStream<T, U> extends OneParentDStream<T, U> {
  constructor(
    parent: DStream<T>,
    private readonly mapPartFunc: (records: readonly T[], index: number) => Iterable<U>,
    private readonly preservePartitioning = false,
  ) {
    super(parent);
  }
  protected computeFrom(rdd: RDD<T>): RDD<U> {
    return rdd.mapPartitions(this.mapPartFunc, this.preservePartitioning);
  }
}
