import type { RDD } from "../rdd/RDD";
import type { DStream } from "./DStream";
import { OneParentDStream } from "./MappedDStream";

/** `flatMap(f)`: any number of output records per input record. */
export class FlatMappedDStream<T, U> extends OneParentDStream<T, U> {
  constructor(parent: DStream<T>, private readonly flatMapFunc: (t: T) => Iterable<U>) {
    super(parent);
  }
  protected computeFrom(rdd: RDD<T>): RDD<U> {
    return rdd.flatMap(this.flatMapFunc);
  }
}
