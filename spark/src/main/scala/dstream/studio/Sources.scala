package dstream.studio

import org.apache.spark.rdd.RDD
import org.apache.spark.streaming.{StreamingContext, StudioAccess, Time}
import org.apache.spark.streaming.dstream.InputDStream

/**
 * The transaction generator as an input stream whose batch at time t holds the lines the producer
 * sends in [t - interval, t), measured from the zero time: what our generator's receiver gives a
 * batch on a manual clock (a line sent exactly on a boundary misses that batch's allocation). As a
 * function of the batch time it is replayable after a restart from a checkpoint, without a WAL.
 */
final class TransactionGeneratorStream(ssc_ : StreamingContext, mode: String, seed: Long, timeScale: Double)
    extends InputDStream[Any](ssc_) {

  /** Send times from the zero time with their lines, extended as later batches ask. */
  @transient private var sent: Vector[(Double, String)] = _
  @transient private var pending: Iterator[TransactionLog.Scheduled] = _
  @transient private var lastMs: Double = 0

  override def start(): Unit = {}
  override def stop(): Unit = {}

  private def linesUpTo(endMs: Double): Vector[(Double, String)] = {
    if (sent == null) { sent = Vector.empty; pending = TransactionLog.schedule(mode, seed); lastMs = 0 }
    while ((sent.isEmpty || sent.last._1 < endMs) && pending.hasNext) {
      val s = pending.next()
      lastMs = lastMs + s.delayMs / timeScale
      sent = sent :+ (lastMs -> TransactionLog.line(s.entry, StudioAccess.zeroTime(this).milliseconds + lastMs))
    }
    sent
  }

  override def compute(validTime: Time): Option[RDD[Any]] = {
    val to = (validTime - StudioAccess.zeroTime(this)).milliseconds.toDouble
    val from = to - slideDuration.milliseconds
    val lines = linesUpTo(to).collect { case (ms, line) if ms >= from && ms < to => line: Any }
    StudioAccess.reportInput(context, validTime, id, lines.size.toLong)
    Some(context.sparkContext.parallelize(lines, 1))
  }
}

/**
 * ssc.queueStream(queue, oneAtATime) over the document's batches, as a function of the batch
 * time (batch n takes the n-th list) so that it can be checkpointed, which Spark's queueStream
 * refuses. With oneAtATime off the first batch takes everything.
 */
final class DocumentQueueStream(ssc_ : StreamingContext, batches: Vector[Vector[Any]], oneAtATime: Boolean)
    extends InputDStream[Any](ssc_) {
  override def start(): Unit = {}
  override def stop(): Unit = {}
  override def compute(validTime: Time): Option[RDD[Any]] = {
    val index = ((validTime - StudioAccess.zeroTime(this)).milliseconds / slideDuration.milliseconds).toInt - 1
    val records: Vector[Any] =
      if (oneAtATime) batches.lift(index).getOrElse(Vector.empty)
      else if (index == 0) batches.flatten
      else Vector.empty
    StudioAccess.reportInput(context, validTime, id, records.size.toLong)
    Some(context.sparkContext.parallelize(records, math.max(1, math.min(2, records.size))))
  }
}
