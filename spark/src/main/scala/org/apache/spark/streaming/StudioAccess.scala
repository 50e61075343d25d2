package org.apache.spark.streaming

import org.apache.spark.streaming.scheduler.StreamInputInfo
import org.apache.spark.SparkContext
import org.apache.spark.util.ManualClock

/**
 * The few scheduler members the runner needs are `private[streaming]` (Spark's own test suites
 * reach them the same way): the manual clock that steps batches deterministically, and the input
 * info tracker that gives a batch its input size.
 */
object StudioAccess {
  def manualClock(ssc: StreamingContext): Option[ManualClock] = ssc.scheduler.clock match {
    case m: ManualClock => Some(m)
    case _ => None
  }

  def zeroTime(d: org.apache.spark.streaming.dstream.DStream[_]): Time = d.zeroTime

  def reportInput(ssc: StreamingContext, time: Time, inputStreamId: Int, numRecords: Long): Unit =
    ssc.scheduler.inputInfoTracker.reportInfo(time, StreamInputInfo(inputStreamId, numRecords))

  /**
   * getOrCreate on a SparkContext the runner made (Spark's own getOrCreate makes its own from the
   * checkpoint's conf): the context recovered from the directory's newest checkpoint, if any.
   */
  def recover(sc: SparkContext, dir: String): Option[StreamingContext] =
    CheckpointReader.read(dir, sc.getConf, sc.hadoopConfiguration, ignoreReadError = false)
      .map(cp => new StreamingContext(sc, cp, null))

  /** Sets a conf entry of the running SparkContext, read by the next StreamingContext (concurrentJobs). */
  def setConf(sc: SparkContext, key: String, value: String): Unit = sc.conf.set(key, value)

}
