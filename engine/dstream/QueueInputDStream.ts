import type { StreamingContext } from "../streaming/StreamingContext";
import { RDD } from "../rdd/RDD";
import { InputDStream } from "./InputDStream";
import type { Time } from "../streaming/Time";

/**
 * `ssc.queueStream`: each batch takes RDDs from a queue (an array used first-in first-out) when
 * the batch is generated. One RDD per batch with `oneAtATime`, else the union of all queued
 * RDDs. An empty queue gives `defaultRDD`, or an empty RDD (Spark's SPARK-11060 behaviour), so
 * downstream outputs always see a batch.
 */
export class QueueInputDStream<T> extends InputDStream<T> {
  constructor(
    ssc: StreamingContext,
    readonly queue: RDD<T>[],
    readonly oneAtATime: boolean,
    private readonly defaultRDD: RDD<T> | undefined,
  ) {
    super(ssc);
  }

  compute(validTime: Time): RDD<T> {
    const rdd = this.dequeue();
    // Spark reports no input info for queues; the dashboard wants input sizes, so count here.
    const info = { inputStreamId: this.inputId, streamId: this.id, numRecords: rdd.count(), metadata: {} };
    this.ssc.scheduler.inputInfoTracker.reportInfo(validTime, info);
    return rdd;
  }

  private dequeue(): RDD<T> {
    let taken: RDD<T>[];
    if (this.oneAtATime && this.queue.length > 0) taken = [this.queue.shift()!];
    else taken = this.queue.splice(0, this.queue.length);
    if (taken.length > 0) return this.oneAtATime ? taken[0] : RDD.unionAll(this.ssc.sparkContext, taken);
    return this.defaultRDD ?? this.ssc.sparkContext.emptyRDD<T>();
  }

  /** Queued RDDs cannot be saved in a checkpoint. */
  override restoreCheckpointData(): void {
    throw new Error("queueStream doesn't support checkpointing. Please don't use queueStream when checkpointing is enabled.");
  }
}
