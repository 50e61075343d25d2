package org.apache.spark.streaming

import org.apache.spark.streaming.scheduler.StreamInputInfo
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
}
