import type { RDD } from "../rdd/RDD";
import type { DStream } from "./DStream";
import { OneParentDStream } from "./MappedDStream";

/** `glom()`: one array per partition of each batch. */
export class GlommedDStream<T> extends OneParentDStream<T, T[]> {
  constructor(parent: DStream<T>) {
    super(parent);
  }
  protected computeFrom(rdd: RDD<T>): RDD<T[]> {
    return rdd.glom();
  }
}
