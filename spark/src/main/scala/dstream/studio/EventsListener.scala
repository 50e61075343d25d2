package dstream.studio

import org.apache.spark.streaming.scheduler._
import Values.obj

/**
 * Spark's StreamingListener turned into our engine's batch events (engine/streaming/events.ts):
 * batchSubmitted/Started/Completed with input sizes by stream id, scheduling delay, processing time
 * and total delay, and the output operations of the document's output nodes. The output that
 * serves as the runner's batch clock is left out of the counts.
 */
final class EventsListener(inputStreamIds: Map[Int, String], outputNodes: Vector[String], errors: NodeErrors, clockOpId: Int, batchMs: Long)
    extends StreamingListener {
  private val completed = scala.collection.mutable.HashSet.empty[Long]
  @volatile private var failure: Option[String] = None

  private def inputSize(b: BatchInfo) = obj(b.streamIdToInputInfo.toSeq.sortBy(_._1).map { case (id, info) => inputStreamIds.getOrElse(id, id.toString) -> info.numRecords.toDouble }: _*)
  private def inputInfo(b: BatchInfo) = b.streamIdToInputInfo.toSeq.sortBy(_._1).map { case (id, info) =>
    obj("inputStreamId" -> id, "streamId" -> inputStreamIds.getOrElse(id, id.toString), "numRecords" -> info.numRecords.toDouble, "metadata" -> obj())
  }.toVector
  private def ops(b: BatchInfo) = b.outputOperationInfos.keys.count(_ != clockOpId)
  private def isClock(id: Int) = id == clockOpId

  override def onStreamingStarted(e: StreamingListenerStreamingStarted): Unit =
    Emitter.emit("type" -> "streamingStarted", "timeMs" -> e.time, "batchDurationMs" -> batchMs)

  override def onBatchSubmitted(e: StreamingListenerBatchSubmitted): Unit = {
    val b = e.batchInfo
    Emitter.emit("type" -> "batchSubmitted", "batchTimeMs" -> b.batchTime.milliseconds, "submissionTimeMs" -> b.submissionTime,
      "inputSize" -> inputSize(b), "inputInfo" -> inputInfo(b), "numOutputOps" -> ops(b))
  }

  override def onBatchStarted(e: StreamingListenerBatchStarted): Unit = {
    val b = e.batchInfo
    Emitter.emit("type" -> "batchStarted", "batchTimeMs" -> b.batchTime.milliseconds, "processingStartTimeMs" -> b.processingStartTime.getOrElse(0L),
      "schedulingDelayMs" -> b.schedulingDelay.getOrElse(0L))
  }

  override def onOutputOperationStarted(e: StreamingListenerOutputOperationStarted): Unit = {
    val o = e.outputOperationInfo
    if (!isClock(o.id))
      Emitter.emit("type" -> "outputOperationStarted", "batchTimeMs" -> o.batchTime.milliseconds, "outputOpId" -> o.id,
        "streamId" -> outputNodes.lift(o.id).orNull, "name" -> o.name, "startTimeMs" -> o.startTime.getOrElse(0L))
  }

  override def onOutputOperationCompleted(e: StreamingListenerOutputOperationCompleted): Unit = {
    val o = e.outputOperationInfo
    if (!isClock(o.id))
      Emitter.emit(Seq("type" -> "outputOperationCompleted", "batchTimeMs" -> o.batchTime.milliseconds, "outputOpId" -> o.id,
        "streamId" -> outputNodes.lift(o.id).orNull, "name" -> o.name, "durationMs" -> o.duration.getOrElse(0L)) ++
        o.failureReason.map(r => "error" -> r.linesIterator.nextOption().getOrElse(r)): _*)
  }

  override def onBatchCompleted(e: StreamingListenerBatchCompleted): Unit = {
    val b = e.batchInfo
    errors.drain()
    val failed = b.outputOperationInfos.values.count(_.failureReason.isDefined)
    Emitter.emit("type" -> "batchCompleted", "batchTimeMs" -> b.batchTime.milliseconds, "inputSize" -> inputSize(b), "numRecords" -> b.numRecords.toDouble,
      "schedulingDelayMs" -> b.schedulingDelay.getOrElse(0L), "processingTimeMs" -> b.processingDelay.getOrElse(0L), "totalDelayMs" -> b.totalDelay.getOrElse(0L),
      "numOutputOps" -> ops(b), "numFailedOutputOps" -> failed)
    if (failed > 0 && failure.isEmpty) failure = b.outputOperationInfos.values.flatMap(_.failureReason).headOption
    synchronized { completed += b.batchTime.milliseconds; notifyAll() }
  }

  /** Waits until the batch of `timeMs` completed (the manual clock steps one batch at a time). */
  def awaitCompleted(timeMs: Long, timeoutMs: Long): Unit = synchronized {
    val deadline = System.currentTimeMillis() + timeoutMs
    while (!completed.contains(timeMs)) {
      val left = deadline - System.currentTimeMillis()
      if (left <= 0) throw new IllegalStateException(s"batch $timeMs did not complete within $timeoutMs ms")
      wait(left)
    }
    failure.foreach(f => throw new IllegalStateException(s"batch $timeMs failed: $f"))
  }
}
