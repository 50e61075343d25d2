import type { Time } from "../../streaming/Time";
import type { RDD } from "../../rdd/RDD";
import { formatBatch } from "../../sinks/print";
import { rddToFileName, saveAsObjectFile, saveAsTextFile } from "../../sinks/files";
import { DStream } from "../DStream";
import { ForEachDStream } from "../ForEachDStream";

declare module "../DStream" {
  interface DStream<T> {
    /** Runs `foreachFunc` on every batch's RDD (async functions are awaited); returns the output stream. */
    foreachRDD(foreachFunc: (rdd: RDD<T>, time: Time) => void | Promise<void>): ForEachDStream<T>;
    /** Prints the first `num` records of every batch (default 10) in Spark's layout, to the context's print sink. */
    print(num?: number): ForEachDStream<T>;
    /** Saves every batch as text in the directory `<prefix>-<timeMs>[.<suffix>]`, one part file per partition. */
    saveAsTextFiles(prefix: string, suffix?: string): ForEachDStream<T>;
    /** Saves every batch serialized in the directory `<prefix>-<timeMs>[.<suffix>]`, one part file per partition. */
    saveAsObjectFiles(prefix: string, suffix?: string): ForEachDStream<T>;
  }
}

DStream.prototype.foreachRDD = function <T>(this: DStream<T>, foreachFunc: (rdd: RDD<T>, time: Time) => void | Promise<void>) {
  return new ForEachDStream(this, foreachFunc, "foreachRDD").register();
};
DStream.prototype.print = function <T>(this: DStream<T>, num = 10) {
  const output: ForEachDStream<T> = new ForEachDStream<T>(
    this,
    (rdd, time) => this.ssc.printSink(formatBatch(rdd, time, num), { batchTimeMs: time.milliseconds, streamId: output.id }),
    "print",
  );
  return output.register();
};
DStream.prototype.saveAsTextFiles = function <T>(this: DStream<T>, prefix: string, suffix = "") {
  return new ForEachDStream(this, (rdd, time) => saveAsTextFile(rdd, rddToFileName(prefix, suffix, time)), "saveAsTextFiles").register();
};
DStream.prototype.saveAsObjectFiles = function <T>(this: DStream<T>, prefix: string, suffix = "") {
  return new ForEachDStream(this, (rdd, time) => saveAsObjectFile(rdd, rddToFileName(prefix, suffix, time)), "saveAsObjectFiles").register();
};
