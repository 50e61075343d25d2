package dstream.studio

import java.io.{FileOutputStream, OutputStreamWriter, PrintWriter}
import java.nio.charset.StandardCharsets
import org.apache.spark.util.CollectionAccumulator
import Values.obj

/**
 * Where the driver writes what a run produces, one JSON object per line: the batch events in the
 * shapes of engine/streaming/events.ts, each output node's records per batch, node errors, the
 * run's refusal or end. A Node-side adapter reads them to compare or to feed the run hub.
 */
object Emitter {
  @volatile private var out: PrintWriter = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true)

  def open(path: String): Unit =
    if (path != "-") out = new PrintWriter(new OutputStreamWriter(new FileOutputStream(path, false), StandardCharsets.UTF_8), true)

  def emit(fields: (String, Any)*): Unit = {
    val line = Values.write(obj(fields: _*))
    synchronized { out.println(line); out.flush() }
  }

  def emitRaw(json: String): Unit = synchronized { out.println(json); out.flush() }

  def close(): Unit = synchronized { out.flush(); if (out ne null) out.close() }
}

/**
 * Node errors raised on executors travel back to the driver in an accumulator, as JSON. A graph
 * recovered from a checkpoint holds a copy of the accumulator of the JVM that wrote it: on the
 * driver it is rebound to the run's own (the listener drains that one).
 */
final class NodeErrors(private var acc: CollectionAccumulator[String]) extends Serializable {
  def report(nodeId: String, field: Option[String], message: String, record: Any, batchTimeMs: Option[Long]): Unit =
    acc.add(Values.write(obj("type" -> "nodeError", "nodeId" -> nodeId, "field" -> field.orNull, "message" -> message, "record" -> record,
      "batchTimeMs" -> batchTimeMs.map(_.toDouble).orNull)))

  @transient private var emitted = 0
  /** Writes the errors that arrived since the last call (driver side). */
  def drain(): Unit = synchronized {
    val all = acc.value
    while (emitted < all.size) { Emitter.emitRaw(all.get(emitted)); emitted += 1 }
  }

  private def readObject(in: java.io.ObjectInputStream): Unit = {
    in.defaultReadObject()
    // Outside a task, on the driver, only a checkpoint is read back: its accumulator is another
    // JVM's (or a copy), so the errors go to the one this run registered.
    if (org.apache.spark.TaskContext.get() == null) NodeErrors.current.foreach(c => acc = c.acc)
  }
}

object NodeErrors {
  val Name = "nodeErrors"
  @volatile private var current: Option[NodeErrors] = None

  /** A new accumulator for a run, registered on this (the driver's) SparkContext. */
  def register(sc: org.apache.spark.SparkContext): NodeErrors = {
    val errors = new NodeErrors(sc.collectionAccumulator[String](Name))
    current = Some(errors)
    errors
  }
}
