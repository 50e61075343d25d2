import type { Duration } from "../streaming/Duration";
import type { Time } from "../streaming/Time";
import type { RDD } from "../rdd/RDD";
import { DStream, type AnyDStream } from "./DStream";

/** Base for streams computed record by record from one parent with the parent's slide. */
export abstract class OneParentDStream<P, T> extends DStream<T> {
  constructor(readonly parent: DStream<P>) {
    super(parent.ssc);
  }
  get dependencies(): readonly AnyDStream[] {
    return [this.parent];
  }
  get slideDuration(): Duration {
    return this.parent.slideDuration;
  }
  compute(validTime: Time): RDD<T> | undefined {
    const rdd = this.parent.getOrCompute(validTime);
    return rdd === undefined ? undefined : this.computeFrom(rdd);
  }
  protected abstract computeFrom(parentRDD: RDD<P>): RDD<T>;
}

/** `map(f)`: one output record per input record. */
export class MappedDStream<T, U> extends OneParentDStream<T, U> {
  constructor(parent: DStream<T>, private readonly mapFunc: (t: T) => U) {
    super(parent);
  }
  protected computeFrom(rdd: RDD<T>): RDD<U> {
    return rdd.map(this.mapFunc);
  }
}
