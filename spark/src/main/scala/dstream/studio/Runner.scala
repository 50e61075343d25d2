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
 *   --checkpoint <dir>     the run's checkpoint directory (default: a temporary one when needed);
 *                          a directory that holds a checkpoint is recovered from (getOrCreate)
 *   --master <url>         default local[2]
 *   --batches <n>          run until batch n on Spark's ManualClock (deterministic, for tests)
 *   --duration-ms <ms>     otherwise: run on the system clock for this long (default: until killed)
 *   --hold-after <n>       with --batches: after batch n, start batch n + 1 and then wait to be
 *                          killed (a driver failure at a known point, for recovery tests)
 *
 * or, to run many documents one after the other on one SparkContext (each with its own
 * StreamingContext on the ManualClock), which saves a JVM and a SparkContext per document:
 *
 *   --documents <file>     a JSON array of { document, out, batches, tables?, checkpoint? } (file paths)
 */
object Runner {
  def main(args: Array[String]): Unit = {
    val opts = args.grouped(2).collect { case Array(k, v) if k.startsWith("--") => k.drop(2) -> v }.toMap
    val code =
      try opts.get("documents") match {
        case Some(manifest) => runMany(opts, manifest)
        case None =>
          val job = Job(
            opts.getOrElse("document", throw new IllegalArgumentException("--document <file> is required")),
            opts.getOrElse("out", "-"), opts.get("tables"), opts.get("checkpoint"), opts.get("batches").map(_.toInt),
            opts.get("duration-ms").map(_.toLong))
          Emitter.open(job.out)
          val sc = sparkContext(opts, manualClock = job.batches.isDefined, job.name)
          try runJob(sc, job, opts) finally sc.stop()
      } catch {
        case e: Throwable =>
          Emitter.emit("type" -> "error", "message" -> String.valueOf(e.getMessage), "error" -> e.getClass.getName)
          1
      }
    Emitter.close()
    System.exit(code)
  }

  /** One document to run: its files and how far. */
  final case class Job(document: String, out: String, tables: Option[String], checkpoint: Option[String], batches: Option[Int], durationMs: Option[Long]) {
    def name: String = Paths.get(document).getFileName.toString
  }

  private def sparkContext(opts: Map[String, String], manualClock: Boolean, name: String): SparkContext = {
    val conf = new SparkConf()
      .setMaster(opts.getOrElse("master", "local[2]"))
      .setAppName(s"DStream Studio: $name")
      .set("spark.ui.enabled", opts.getOrElse("ui", "false"))
      .set("spark.driver.host", "localhost")
      .set("spark.driver.bindAddress", "127.0.0.1")
      .set("spark.sql.shuffle.partitions", "2")
    if (manualClock) conf.set("spark.streaming.clock", "org.apache.spark.util.ManualClock")
    val sc = new SparkContext(conf)
    sc.setLogLevel("WARN")
    sc
  }

  /** Every job of the manifest on one SparkContext; exit code 0 when the manifest itself was readable. */
  private def runMany(opts: Map[String, String], manifest: String): Int = {
    val jobs = Values.parse(new String(Files.readAllBytes(Paths.get(manifest)), "UTF-8")) match {
      case v: Vector[_] => v.map {
        case j: Obj @unchecked =>
          def s(f: String) = j.get(f).collect { case x: String => x }
          Job(s("document").getOrElse(throw new IllegalArgumentException("a manifest entry has no document")),
            s("out").getOrElse(throw new IllegalArgumentException("a manifest entry has no out")), s("tables"), s("checkpoint"),
            Some(Values.asNumber(j.getOrElse("batches", 1.0)).toInt), None)
        case _ => throw new IllegalArgumentException("a manifest entry is not an object")
      }
      case _ => throw new IllegalArgumentException("--documents must name a JSON array")
    }
    val sc = sparkContext(opts, manualClock = true, s"${jobs.size} documents")
    try jobs.foreach { job =>
      Emitter.open(job.out)
      runJob(sc, job, opts)
      Emitter.close()
      // What one document cached must not weigh on the next.
      sc.getPersistentRDDs.values.foreach(_.unpersist(blocking = true))
    } finally sc.stop()
    0
  }

  /** Runs one document on `sc`; its refusal or failure is written to its output, as its exit code. */
  private def runJob(sc: SparkContext, job: Job, opts: Map[String, String]): Int =
    try run(sc, job, opts) catch {
      case e: NotTranslatable =>
        Emitter.emit("type" -> "refused", "nodeId" -> e.nodeId, "message" -> e.getMessage)
        2
      case e: Throwable =>
        Emitter.emit("type" -> "error", "message" -> String.valueOf(e.getMessage), "error" -> e.getClass.getName)
        1
    }

  private def run(sc: SparkContext, job: Job, opts: Map[String, String]): Int = {
    val started = System.nanoTime()
    val doc = Values.parse(new String(Files.readAllBytes(Paths.get(job.document)), "UTF-8")).asInstanceOf[Obj]
    val settings = doc("settings").asInstanceOf[Obj]
    val batchMs = Values.asNumber(settings("batchIntervalMs")).toLong
    StudioAccess.setConf(sc, "spark.streaming.concurrentJobs", Values.asNumber(settings.getOrElse("concurrentJobs", 1.0)).toInt.toString)
    Tables.reads = 0
    LookupCache.cached.clear()
    val errors = NodeErrors.register(sc)
    val recovered = job.checkpoint.flatMap(dir => StudioAccess.recover(sc, dir))
    val (ssc, plan) = recovered match {
      case Some(ssc) => (ssc, Plan.read(job.checkpoint.get))
      case None =>
        val ssc = new StreamingContext(sc, Milliseconds(batchMs))
        val translate = new Translate(ssc, doc, errors, job.tables.orNull)
        translate.translateAll()
        val checkpointing = settings.get("checkpointing").exists { case c: Obj => c.getOrElse("enabled", false) == true; case _ => false }
        if (translate.stateful || checkpointing || job.checkpoint.isDefined)
          ssc.checkpoint(job.checkpoint.getOrElse(Files.createTempDirectory("dstream-studio-checkpoint-").toString))
        settings.get("rememberMs").filter(_ != null).foreach(r => ssc.remember(Milliseconds(Values.asNumber(r).toLong)))
        // Spark posts no event for a batch without jobs (a window between slides): an empty output
        // on an input stream gives every batch a job, so that each batch's completion is seen.
        translate.anyInput.foreach(_.foreachRDD(_ => ()))
        val plan = Plan(translate.inputStreamIds.toMap, translate.outputNodes.toVector)
        job.checkpoint.foreach(plan.write)
        (ssc, plan)
    }
    try {
      val listener = new EventsListener(plan.inputStreamIds, plan.outputNodes, errors, plan.outputNodes.size, batchMs)
      ssc.addStreamingListener(listener)
      ssc.start()
      if (recovered.isDefined) Emitter.emit("type" -> "recovered", "checkpoint" -> job.checkpoint.get)
      job.batches match {
        case Some(n) =>
          val clock = StudioAccess.manualClock(ssc).get
          // After a recovery the clock stands at the checkpoint's time; the batches up to it are replayed.
          var t = clock.getTimeMillis()
          while (t < n * batchMs) {
            clock.advance(batchMs)
            t += batchMs
            listener.awaitCompleted(t, opts.get("batch-timeout-ms").map(_.toLong).getOrElse(120000L))
            if (opts.get("hold-after").exists(_.toLong * batchMs == t)) {
              clock.advance(batchMs)
              Emitter.emit("type" -> "holding", "batchTimeMs" -> (t + batchMs))
              Thread.sleep(Long.MaxValue)
            }
          }
        case None =>
          job.durationMs match {
            case Some(d) => ssc.awaitTerminationOrTimeout(d)
            case None => ssc.awaitTermination()
          }
      }
      Emitter.emit("type" -> "runEnded", "tableReads" -> Tables.reads, "wallMs" -> (System.nanoTime() - started) / 1000000)
      0
    } finally {
      ssc.stop(stopSparkContext = false, stopGracefully = false)
    }
  }
}

/**
 * What the listener needs of a translated document (Spark input stream ids, output nodes in
 * registration order), kept beside the checkpoint so that a recovered run reports as the first did.
 */
final case class Plan(inputStreamIds: Map[Int, String], outputNodes: Vector[String]) {
  def write(dir: String): Unit = {
    Files.createDirectories(Paths.get(dir))
    val json = Values.write(Values.obj(
      "inputStreamIds" -> Values.obj(inputStreamIds.toSeq.sortBy(_._1).map { case (k, v) => k.toString -> v }: _*),
      "outputNodes" -> outputNodes))
    Files.write(Paths.get(dir, Plan.File), json.getBytes("UTF-8"))
  }
}

object Plan {
  val File = "studio-plan.json"
  def read(dir: String): Plan = {
    val o = Values.parse(new String(Files.readAllBytes(Paths.get(dir, File)), "UTF-8")).asInstanceOf[Obj]
    Plan(o("inputStreamIds").asInstanceOf[Obj].map { case (k, v) => k.toInt -> v.asInstanceOf[String] },
      o("outputNodes").asInstanceOf[Vector[Any]].map(_.asInstanceOf[String]))
  }
}
