import { RDD } from "./RDD";
// The operations added to RDD by augmentation (sortByKey, subtract, aggregateByKey, ...).
import "./operations/index";
import { BlockManager } from "./storage/BlockManager";
import type { Serializer } from "./storage/Serializer";

/**
 * The batch-side context (the SparkContext analogue): makes RDDs, numbers them and holds the
 * block manager for persisted partitions. One per StreamingContext (`ssc.sparkContext`).
 */
export class SparkContext {
  private nextRddId = 0;
  readonly blockManager: BlockManager;
  /** Where checkpoints go; set through `StreamingContext.checkpoint(dir)`. */
  checkpointDir: string | undefined;

  constructor(
    /** Default number of partitions for shuffles and `makeRDD` (Spark's defaultParallelism). */
    readonly defaultParallelism = 2,
    /** For serialized storage levels; without one, every level keeps records as objects. */
    serializer?: Serializer,
  ) {
    this.blockManager = new BlockManager(serializer);
  }

  newRddId(): number {
    return this.nextRddId++;
  }

  /**
   * An RDD over `seq` in `numSlices` partitions, split as Spark's ParallelCollectionRDD:
   * partition i holds `seq[floor(i*n/p) .. floor((i+1)*n/p))`.
   */
  makeRDD<T>(seq: Iterable<T>, numSlices = this.defaultParallelism): RDD<T> {
    const all = Array.isArray(seq) ? (seq as T[]).slice() : [...seq];
    const n = all.length;
    const parts: T[][] = [];
    for (let i = 0; i < numSlices; i++) parts.push(all.slice(Math.floor((i * n) / numSlices), Math.floor(((i + 1) * n) / numSlices)));
    return RDD.fromPartitions(this, parts);
  }
  parallelize<T>(seq: Iterable<T>, numSlices = this.defaultParallelism): RDD<T> {
    return this.makeRDD(seq, numSlices);
  }
  /** An RDD with no partitions. */
  emptyRDD<T>(): RDD<T> {
    return RDD.fromPartitions<T>(this, []);
  }
  union<T>(rdds: readonly RDD<T>[]): RDD<T> {
    return RDD.unionAll(this, rdds);
  }
  /** Ids of RDDs with persisted partitions. */
  getPersistentRDDIds(): number[] {
    return this.blockManager.persistedRddIds();
  }
}
