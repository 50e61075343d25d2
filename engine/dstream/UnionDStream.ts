import type { Duration } from "../streaming/Duration";
import { SparkException } from "../streaming/errors";
import type { Time } from "../streaming/Time";
import { RDD } from "../rdd/RDD";
import { DStream, checkParents, type AnyDStream } from "./DStream";

/** union / ssc.union: the parents' RDDs of each batch, concatenated in order. */
export class UnionDStream<T> extends DStream<T> {
  constructor(readonly parents: readonly DStream<T>[]) {
    super(checkParents(parents, "Empty array of parents").ssc);
  }
  get dependencies(): readonly AnyDStream[] {
    return this.parents;
  }
  get slideDuration(): Duration {
    return this.parents[0].slideDuration;
  }
  compute(validTime: Time): RDD<T> {
    const rdds = this.parents.map((p) => {
      const rdd = p.getOrCompute(validTime);
      if (rdd === undefined) {
        throw new SparkException(`Could not generate RDD from a parent for unifying at time ${validTime} (${p})`);
      }
      return rdd;
    });
    return RDD.unionAll(this.ssc.sparkContext, rdds);
  }
}
