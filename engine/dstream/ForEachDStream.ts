import type { Duration } from "../streaming/Duration";
import { Job } from "../streaming/Job";
import type { Time } from "../streaming/Time";
import type { RDD } from "../rdd/RDD";
import { DStream, type AnyDStream } from "./DStream";

/** A function run on every batch's RDD by an output operation; async functions are awaited. */
export type ForeachFunc<T> = (rdd: RDD<T>, time: Time) => void | Promise<void>;

/** The output stream behind foreachRDD, print and save*: one job per batch that has an RDD. */
export class ForEachDStream<T> extends DStream<void> {
  constructor(
    readonly parent: DStream<T>,
    private readonly foreachFunc: ForeachFunc<T>,
    /** The output operation's name, shown in events (`print`, `foreachRDD`, ...). */
    readonly operationName = "foreachRDD",
  ) {
    super(parent.ssc);
    this.name = operationName;
  }
  get dependencies(): readonly AnyDStream[] {
    return [this.parent];
  }
  get slideDuration(): Duration {
    return this.parent.slideDuration;
  }
  compute(): undefined {
    return undefined;
  }
  override generateJob(time: Time): Job | undefined {
    const rdd = this.parent.getOrCompute(time);
    if (rdd === undefined) return undefined;
    return new Job(time, () => this.foreachFunc(rdd, time), this.id, this.operationName);
  }
}
