package dstream.studio

import java.nio.file.{Files, Paths}
import org.apache.spark.{SparkConf, SparkContext}
import org.apache.spark.streaming.{Milliseconds, StreamingContext, StudioAccess}
import Values.Obj

/**
 * The Spark runner: runs a pipeline document on Spark Streaming and writes what it produces as
 * JSON lines (see Emitter).
 *
 *   --document <file>      the pipeline document (validated, configs completed by the Studio)
 *   --out <file|->         where the JSON lines go (default: stdout)
 *   --tables <file>        lookup tables, `{ "table": [rows] }`
 *   --checkpoint <dir>     the run's checkpoint directory (default: a temporary one when needed)
 *   --master <url>         default local[2]
 *   --batches <n>          run exactly n batches on Spark's ManualClock (deterministic, for tests)
 *   --duration-ms <ms>     otherwise: run on the system clock for this long (default: until killed)
 */
object Runner {
  def main(args: Array[String]): Unit = {
    val opts = args.grouped(2).collect { case Array(k, v) if k.startsWith("--") => k.drop(2) -> v }.toMap
    Emitter.open(opts.getOrElse("out", "-"))
    val code = try run(opts) catch {
      case e: NotTranslatable =>
        Emitter.emit("type" -> "refused", "nodeId" -> e.nodeId, "message" -> e.getMessage)
        2
      case e: Throwable =>
        Emitter.emit("type" -> "error", "message" -> String.valueOf(e.getMessage), "error" -> e.getClass.getName)
        1
    }
    Emitter.close()
    System.exit(code)
  }

  private def run(opts: Map[String, String]): Int = {
    val docFile = opts.getOrElse("document", throw new IllegalArgumentException("--document <file> is required"))
    val doc = Values.parse(new String(Files.readAllBytes(Paths.get(docFile)), "UTF-8")).asInstanceOf[Obj]
    val settings = doc("settings").asInstanceOf[Obj]
    val batchMs = Values.asNumber(settings("batchIntervalMs")).toLong
    val batches = opts.get("batches").map(_.toInt)
    val conf = new SparkConf()
      .setMaster(opts.getOrElse("master", "local[2]"))
      .setAppName(s"DStream Studio: ${doc.getOrElse("name", "pipeline")}")
      .set("spark.ui.enabled", opts.getOrElse("ui", "false"))
      .set("spark.driver.host", "localhost")
      .set("spark.driver.bindAddress", "127.0.0.1")
      .set("spark.streaming.concurrentJobs", Values.asNumber(settings.getOrElse("concurrentJobs", 1.0)).toInt.toString)
      .set("spark.sql.shuffle.partitions", "2")
    batches.foreach(_ => conf.set("spark.streaming.clock", "org.apache.spark.util.ManualClock"))
    val sc = new SparkContext(conf)
    sc.setLogLevel("WARN")
    val ssc = new StreamingContext(sc, Milliseconds(batchMs))
    try {
      val errors = NodeErrors(sc.collectionAccumulator[String]("nodeErrors"))
      val translate = new Translate(ssc, doc, errors, opts.getOrElse("tables", null))
      translate.translateAll()
      val checkpointing = settings.get("checkpointing").exists { case c: Obj => c.getOrElse("enabled", false) == true; case _ => false }
      if (translate.stateful || checkpointing)
        ssc.checkpoint(opts.getOrElse("checkpoint", Files.createTempDirectory("dstream-studio-checkpoint-").toString))
      settings.get("rememberMs").filter(_ != null).foreach(r => ssc.remember(Milliseconds(Values.asNumber(r).toLong)))
      // Spark posts no event for a batch without jobs (a window between slides): an empty output
      // on an input stream gives every batch a job, so that each batch's completion is seen.
      val clockOpId = translate.outputNodes.size
      translate.anyInput.foreach(_.foreachRDD(_ => ()))
      val listener = new EventsListener(translate.inputStreamIds.toMap, translate.outputNodes.toVector, errors, clockOpId, batchMs)
      ssc.addStreamingListener(listener)
      ssc.start()
      batches match {
        case Some(n) =>
          val clock = StudioAccess.manualClock(ssc).get
          for (i <- 1 to n) {
            clock.advance(batchMs)
            listener.awaitCompleted(i * batchMs, opts.get("batch-timeout-ms").map(_.toLong).getOrElse(120000L))
          }
        case None =>
          opts.get("duration-ms") match {
            case Some(d) => ssc.awaitTerminationOrTimeout(d.toLong)
            case None => ssc.awaitTermination()
          }
      }
      Emitter.emit("type" -> "runEnded", "tableReads" -> Tables.reads)
      0
    } finally {
      ssc.stop(stopSparkContext = true, stopGracefully = false)
    }
  }
}
