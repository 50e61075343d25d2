import type { RDD } from "../rdd/RDD";
import type { DStream } from "./DStream";
import { OneParentDStream } from "./MappedDStream";

/** `filter(f)`: the records for which `f` is true, in order. */
export class FilteredDStream<T> extends OneParentDStream<T, T> {
  constructor(parent: DStream<T>, private readonly filterFunc: (t: T) => boolean) {
    super(parent);
  }
  protected computeFrom(rdd: RDD<T>): RDD<T> {
    return rdd.filter(this.filterFunc);
  }
}
