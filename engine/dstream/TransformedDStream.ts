import type { Duration } from "../streaming/Duration";
import { SparkException } from "../streaming/errors";
import type { Time } from "../streaming/Time";
import type { RDD } from "../rdd/RDD";
import { DStream, checkParents, type AnyDStream } from "./DStream";

/** A function from the parents' RDDs of one batch to a new RDD. */
export type TransformFunc<U> = (rdds: RDD<unknown>[], time: Time) => RDD<U>;

/** transform, transformWith and ssc.transform: an arbitrary RDD function over parents' batches. */
export class TransformedDStream<U> extends DStream<U> {
  constructor(
    readonly parents: readonly AnyDStream[],
    private readonly transformFunc: TransformFunc<U>,
  ) {
    super(checkParents(parents, "List of DStreams to transform is empty").ssc);
  }
  get dependencies(): readonly AnyDStream[] {
    return this.parents;
  }
  get slideDuration(): Duration {
    return this.parents[0].slideDuration;
  }
  compute(validTime: Time): RDD<U> {
    const parentRDDs = this.parents.map((p) => {
      const rdd = p.getOrCompute(validTime);
      if (rdd === undefined) throw new SparkException(`Couldn't generate RDD from parent at time ${validTime} (${p})`);
      return rdd;
    });
    const result = this.transformFunc(parentRDDs, validTime);
    if (result === null || result === undefined) {
      throw new SparkException(
        "Transform function must not return null. Return SparkContext.emptyRDD() instead to represent no element as the result of transformation." +
          ` (${this})`,
      );
    }
    return result;
  }
}
