package dstream.studio

import org.apache.spark.rdd.RDD
import org.apache.spark.streaming.{Milliseconds, State, StateSpec, StreamingContext, Time}
import org.apache.spark.streaming.dstream.DStream
import Values.{obj, Obj}

/** The document names a node the runner cannot translate (or configures it so): nothing started. */
final class NotTranslatable(val nodeId: String, message: String) extends RuntimeException(message)

final case class Window(windowMs: Long, slideMs: Long)

/**
 * Builds the DStream graph of a pipeline document node by node with Spark's own operators: every
 * node kind maps to the Spark call of the same name (the engine's node catalog says what each
 * does). The document must have passed our engine's validation and diagnostics, with each node's
 * config completed by its defaults (the Node side sends it so).
 */
final class Translate(ssc: StreamingContext, doc: Obj, errors: NodeErrors, tablesFile: String) {
  private val settings = doc("settings").asInstanceOf[Obj]
  private val batchMs = num(settings, "batchIntervalMs").toLong
  private val nodes = doc("nodes").asInstanceOf[Vector[Obj]]
  private val edges = doc("edges").asInstanceOf[Vector[Obj]]
  private val streams = scala.collection.mutable.LinkedHashMap.empty[String, DStream[Any]]
  private val windows = scala.collection.mutable.HashMap.empty[String, Window]
  /** Spark input stream id → our stream id `<nodeId>:out`, for the events' input sizes. */
  val inputStreamIds = scala.collection.mutable.LinkedHashMap.empty[Int, String]
  /** Spark output operation ids of the document's outputs → node ids, in registration order. */
  val outputNodes = scala.collection.mutable.ArrayBuffer.empty[String]
  var stateful = false

  private def num(o: Obj, f: String): Double = Values.asNumber(o.getOrElse(f, null))
  private def str(o: Obj, f: String): String = o.getOrElse(f, "") match { case s: String => s; case other => String.valueOf(other) }
  private def bool(o: Obj, f: String): Boolean = o.getOrElse(f, false) == true
  private def ms(o: Obj, f: String) = Milliseconds(num(o, f).toLong)

  def translateAll(): Unit = order().foreach(translate)

  private def order(): Vector[Obj] = {
    val byId = nodes.map(n => n("id").asInstanceOf[String] -> n).toMap
    val indegree = scala.collection.mutable.HashMap.from(nodes.map(n => n("id").asInstanceOf[String] -> 0))
    edges.foreach(e => indegree(e("target").asInstanceOf[String]) += 1)
    val ready = scala.collection.mutable.Queue.from(nodes.map(_("id").asInstanceOf[String]).filter(indegree(_) == 0))
    val out = Vector.newBuilder[Obj]
    while (ready.nonEmpty) {
      val id = ready.dequeue()
      out += byId(id)
      edges.filter(_("source") == id).foreach { e =>
        val t = e("target").asInstanceOf[String]
        indegree(t) -= 1
        if (indegree(t) == 0) ready.enqueue(t)
      }
    }
    val sorted = out.result()
    if (sorted.size != nodes.size) throw new NotTranslatable(null, "the pipeline has a cycle")
    sorted
  }

  private def translate(node: Obj): Unit = {
    val id = node("id").asInstanceOf[String]
    val kind = node("kind").asInstanceOf[String]
    val config = node.getOrElse("config", obj()).asInstanceOf[Obj]
    val errors = this.errors // a local, so that closures do not capture the translator
    val incoming = edges.filter(_("target") == id)
    val inputs: Map[String, DStream[Any]] =
      incoming.flatMap(e => streams.get(s"${e("source")}:${e("sourcePort")}").map(e("targetPort").asInstanceOf[String] -> _)).toMap
    val inEdge = incoming.find(_("targetPort") == "in").orElse(incoming.headOption)
    val inWindow = inEdge.flatMap(e => windows.get(e("source").asInstanceOf[String])).getOrElse(Window(batchMs, batchMs))
    def refuse(why: String) = throw new NotTranslatable(id, s"node $id ($kind): $why")
    def input(port: String = "in"): DStream[Any] = inputs.getOrElse(port, refuse(s"input \"$port\" is not connected"))
    def fn(field: String): Fn = {
      val source = str(config, field)
      JsRuntime.check(source).left.foreach(m => refuse(s"$field: $m"))
      Fn(id, field, source, errors)
    }
    def window(): Window = Window(num(config, "windowMs").toLong, num(config, "slideMs").toLong)
    val ownWindow = kind match {
      case "window" | "countByWindow" | "reduceByWindow" | "countByValueAndWindow" | "groupByKeyAndWindow" | "reduceByKeyAndWindow" | "listByKeyAndWindow" => Some(window())
      case _ => None
    }
    windows(id) = ownWindow.getOrElse(inWindow)
    val isStateful = kind match {
      case "countByWindow" | "countByValueAndWindow" | "updateStateByKey" | "mapWithState" | "aggregateState" | "aggregateWithState" => true
      case "reduceByKeyAndWindow" => str(config, "inverseFn").nonEmpty
      case "listByKeyAndWindow" => true
      case _ => false
    }
    stateful ||= isStateful

    def pairs(s: DStream[Any]): DStream[(Any, Any)] = Translate.pairs(s, id, errors)
    def out(s: DStream[Any]): Map[String, DStream[Any]] = Map("out" -> s)
    def withTime(s: DStream[Any])(f: (RDD[Any], Long) => RDD[Any]): DStream[Any] = s.transform((rdd: RDD[Any], t: Time) => f(rdd, t.milliseconds))
    def output(s: DStream[Any])(f: (RDD[Any], Time) => Unit): Map[String, DStream[Any]] = {
      s.foreachRDD(f)
      outputNodes += id
      Map.empty
    }

    val produced: Map[String, DStream[Any]] = kind match {
      // ---- sources
      case "queue" =>
        val batches = config.getOrElse("batches", Vector.empty).asInstanceOf[Vector[Any]].map {
          case v: Vector[_] => v.asInstanceOf[Vector[Any]]
          case _ => refuse("batches must be an array of arrays")
        }
        source(id, new DocumentQueueStream(ssc, batches, bool(config, "oneAtATime")))
      case "transactionGenerator" =>
        val mode = str(config, "mode")
        val seed = config.get("seed").map(Values.asNumber(_).toLong).getOrElse(scala.util.Random.nextInt().toLong)
        source(id, new TransactionGeneratorStream(ssc, mode, seed, num(config, "timeScale")))

      // ---- basic
      case "map" | "mapToPair" =>
        val f = fn("fn")
        val pairRule = if (kind == "mapToPair") Some("") else if (bool(config, "pairs")) Some(" when pairs is on") else None
        out(withTime(input()) { (rdd, t) =>
          rdd.flatMap { r =>
            f.value(Some(t), r).flatMap { result =>
              if (pairRule.isDefined && !Translate.isPair(result)) {
                errors.report(id, Some("fn"), s"fn must return [key, value]${pairRule.get}, got ${Values.write(result)}", r, Some(t))
                None
              } else Some(result)
            }
          }
        })
      case "flatMap" =>
        val f = fn("fn")
        out(withTime(input()) { (rdd, t) =>
          rdd.flatMap { r =>
            f.value(Some(t), r) match {
              case Some(v: Vector[_]) => v
              case Some(_) => errors.report(id, Some("fn"), "fn must return an array", r, Some(t)); Vector.empty
              case None => Vector.empty
            }
          }
        })
      case "filter" =>
        val f = fn("fn")
        out(withTime(input())((rdd, t) => rdd.filter(r => f.value(Some(t), r).contains(true))))
      case "mapPartitions" =>
        val f = fn("fn")
        out(withTime(input())((rdd, t) => rdd.mapPartitions(it => f.value(Some(t), it.toVector) match { case Some(v: Vector[_]) => v.iterator; case _ => Iterator.empty })))
      case "glom" => out(input().glom().map(a => a.toVector: Any))
      case "repartition" => out(input().repartition(num(config, "numPartitions").toInt))
      case "union" => out(input("left").union(input("right")))
      case "count" => out(input().count().map(c => c.toDouble: Any))
      case "countByValue" => out(Translate.unpairs(input().countByValue().map { case (v, c) => (v, c.toDouble: Any) }))
      case "reduce" =>
        val f = fn("fn")
        out(input().reduce((a, b) => f.reduce(a, b)))
      case "transform" =>
        val f = fn("fn")
        out(input().transform { (rdd: RDD[Any], t: Time) =>
          val result = f.value(Some(t.milliseconds), rdd.collect().toVector) match { case Some(v: Vector[_]) => v; case _ => Vector.empty }
          rdd.sparkContext.parallelize(result, math.max(1, rdd.getNumPartitions))
        })
      case "transformWith" =>
        val f = fn("fn")
        out(input("left").transformWith(input("right"), { (l: RDD[Any], r: RDD[Any], t: Time) =>
          val (left, right) = (l.collect().toVector, r.collect().toVector)
          val ms = t.milliseconds
          val result = f.batch(ms, left.size + right.size, left, right, ms.toDouble) match {
            case Some(Some(v: Vector[_])) => v
            case Some(other) =>
              errors.report(id, Some("fn"), s"fn must return an array of records, got ${Translate.typeOf(other)}", s"batch $ms ms", Some(ms))
              Vector.empty
            case None => Vector.empty
          }
          l.sparkContext.parallelize(result, math.max(1, l.getNumPartitions))
        }))

      // ---- pairs
      case "keyBy" =>
        val field = str(config, "field")
        out(input().map(r => Vector(Values.readField(r, field), r): Any))
      case "mapValues" =>
        val f = fn("fn")
        out(withTime(input())((rdd, t) => Translate.pairsRdd(rdd, id, errors, t).flatMap { case (k, v) => f.value(Some(t), v).map(x => Vector(k, x): Any) }))
      case "flatMapValues" =>
        val f = fn("fn")
        out(withTime(input())((rdd, t) => Translate.pairsRdd(rdd, id, errors, t).flatMap { case (k, v) =>
          f.value(Some(t), v) match { case Some(xs: Vector[_]) => xs.map(x => Vector(k, x): Any); case _ => Vector.empty }
        }))
      case "groupByKey" => out(Translate.unpairs(pairs(input()).groupByKey().map { case (k, vs) => (k, vs.toVector: Any) }))
      case "reduceByKey" =>
        val f = fn("fn")
        out(Translate.unpairs(pairs(input()).reduceByKey((a, b) => f.reduce(a, b))))
      case "countByKey" => out(Translate.unpairs(pairs(input()).map { case (k, _) => (k, 1.0: Any) }.reduceByKey((a, b) => a.asInstanceOf[Double] + b.asInstanceOf[Double])))
      case "combineByKey" =>
        val create = fn("createCombiner")
        val merge = fn("mergeValue")
        val mergeCombiners = fn("mergeCombiners")
        out(Translate.unpairs(Builtins.combineByKey(pairs(input()), create, merge, mergeCombiners, num(config, "numPartitions").toInt)))
      case "aggregate" => out(Builtins.aggregate(pairs(input()), id, str(config, "op"), str(config, "field"), errors))

      // ---- windows
      case "window" => out(input().window(ms(config, "windowMs"), ms(config, "slideMs")))
      case "countByWindow" => out(input().countByWindow(ms(config, "windowMs"), ms(config, "slideMs")).map(c => c.toDouble: Any))
      case "reduceByWindow" =>
        val f = fn("fn")
        out(input().reduceByWindow((a: Any, b: Any) => f.reduce(a, b), ms(config, "windowMs"), ms(config, "slideMs")))
      case "countByValueAndWindow" =>
        out(Translate.unpairs(input().countByValueAndWindow(ms(config, "windowMs"), ms(config, "slideMs")).map { case (v, c) => (v, c.toDouble: Any) }))
      case "groupByKeyAndWindow" =>
        out(Translate.unpairs(pairs(input()).groupByKeyAndWindow(ms(config, "windowMs"), ms(config, "slideMs")).map { case (k, vs) => (k, vs.toVector: Any) }))
      case "reduceByKeyAndWindow" =>
        val f = fn("fn")
        val w = ms(config, "windowMs")
        val s = ms(config, "slideMs")
        if (str(config, "inverseFn").isEmpty) out(Translate.unpairs(pairs(input()).reduceByKeyAndWindow((a: Any, b: Any) => f.reduce(a, b), w, s)))
        else {
          val inv = fn("inverseFn")
          out(Translate.unpairs(pairs(input()).reduceByKeyAndWindow((a: Any, b: Any) => f.reduce(a, b), (a: Any, b: Any) => inv.reduce(a, b), w, s)))
        }
      case "listByKeyAndWindow" =>
        // The article's mapValues(List(_)).reduceByKeyAndWindow(_ ++ _, _ diff _, window, slide), the diff by id.
        val idOf = Translate.idReader(str(config, "idField"))
        out(Translate.unpairs(pairs(input()).mapValues(v => Vector(v): Any).reduceByKeyAndWindow(
          (a: Any, b: Any) => a.asInstanceOf[Vector[Any]] ++ b.asInstanceOf[Vector[Any]],
          (a: Any, b: Any) => Translate.listDiff(a.asInstanceOf[Vector[Any]], b.asInstanceOf[Vector[Any]], idOf),
          ms(config, "windowMs"), ms(config, "slideMs"))))

      // ---- state
      case "updateStateByKey" =>
        val f = fn("fn")
        out(Translate.unpairs(pairs(input()).updateStateByKey[Any] { (values: Seq[Any], state: Option[Any]) =>
          f(None, values.toVector, state.fold[Any](None)(s => s)) match {
            case None => state // a throw keeps the previous state
            case Some(None) => None
            case Some(Some(next)) => Some(next)
          }
        }))
      case "mapWithState" =>
        val f = fn("fn")
        val spec0 = StateSpec.function { (_: Time, key: Any, value: Option[Any], state: State[Any]) =>
          val in = StateIn(state.exists(), if (state.exists()) state.get() else null, state.isTimingOut())
          try {
            val r = JsRuntime.callWithState(f.source, key, value, in)
            r.op match {
              case "update" => state.update(r.value)
              case "remove" if state.exists() && !state.isTimingOut() => state.remove()
              case _ =>
            }
            Some(r.result)
          } catch {
            case e: UserFunctionError =>
              errors.report(id, Some("fn"), e.getMessage, Vector(key, value.orNull, in.value), None)
              None
          }
        }
        val spec = config.get("timeoutMs").filter(_ != null).fold(spec0)(t => spec0.timeout(Milliseconds(Values.asNumber(t).toLong)))
        val mapped = pairs(input()).mapWithState(spec)
        Map("out" -> mapped, "snapshots" -> Translate.unpairs(mapped.stateSnapshots()))

      // ---- joins
      case "join" => out(Translate.unpairs(pairs(input("left")).join(pairs(input("right"))).map { case (k, (a, b)) => (k, Vector(a, b): Any) }))
      case "leftOuterJoin" => out(Translate.unpairs(pairs(input("left")).leftOuterJoin(pairs(input("right"))).map { case (k, (a, b)) => (k, Vector(a, b.orNull): Any) }))
      case "rightOuterJoin" => out(Translate.unpairs(pairs(input("left")).rightOuterJoin(pairs(input("right"))).map { case (k, (a, b)) => (k, Vector(a.orNull, b): Any) }))
      case "fullOuterJoin" => out(Translate.unpairs(pairs(input("left")).fullOuterJoin(pairs(input("right"))).map { case (k, (a, b)) => (k, Vector(a.orNull, b.orNull): Any) }))
      case "cogroup" => out(Translate.unpairs(pairs(input("left")).cogroup(pairs(input("right"))).map { case (k, (a, b)) => (k, Vector(a.toVector, b.toVector): Any) }))
      case "lookupJoin" =>
        if (str(config, "source") == "cassandra") refuse(Translate.CassandraLookup)
        val table = str(config, "table")
        val file = tablesFile
        val rows = () => Tables.read(file, table)
        out(Builtins.lookupJoin(pairs(input()), id, table, rows, str(config, "keyField"), str(config, "valueField"), bool(config, "outer"), bool(config, "once"), errors))

      // ---- the article's built-ins
      case "parseTransactions" =>
        val parsed = input().map(l => Fraud.parseTransactionLine(l): Any)
        Map(
          "out" -> parsed.flatMap { case Right(tx) => Some(tx: Any); case _ => None },
          "deadLetter" -> parsed.flatMap { case Left(dead) => Some(dead: Any); case _ => None })
      case "thresholdFilter" => out(Builtins.thresholdFilter(input(), str(config, "field"), str(config, "minus"), str(config, "op"), num(config, "threshold")))
      case "aggregateState" => out(Builtins.aggregateState(pairs(input()), id, errors))
      case "aggregateWithState" =>
        val (mapped, snapshots) = Builtins.aggregateWithState(pairs(input()), id, errors, num(config, "fraudAmount"), config.get("timeoutMs").filter(_ != null).map(Values.asNumber(_).toLong))
        Map("out" -> mapped, "snapshots" -> snapshots)
      case "fraudRules" => out(Builtins.fraudRules(input(), id, num(config, "threshold"), errors))

      // ---- outputs
      case "print" =>
        val n = num(config, "num").toInt
        output(input()) { (rdd, t) =>
          val first = rdd.take(n + 1)
          Emitter.emit("type" -> "output", "kind" -> "print", "nodeId" -> id, "batchTimeMs" -> t.milliseconds, "records" -> first.take(n).toVector, "more" -> (first.length > n))
        }
      case "deadLetters" | "chartTap" | "databaseTable" =>
        output(input())((rdd, t) => Emitter.emit("type" -> "output", "kind" -> kind, "nodeId" -> id, "batchTimeMs" -> t.milliseconds, "records" -> rdd.collect().toVector))
      case "foreachRDD" =>
        val f = fn("fn")
        val n = num(config, "num").toInt
        output(input()) { (rdd, t) =>
          val records = rdd.collect().toVector
          val ms = t.milliseconds
          val values: Vector[Any] = f.batch(ms, records.size, records, ms.toDouble) match {
            case Some(Some(v: Vector[_])) => v
            case Some(Some(v)) => Vector(v)
            case _ => Vector.empty
          }
          // Its values reach the dashboard only, as console lines in print's layout.
          if (values.nonEmpty)
            Emitter.emit("type" -> "output", "kind" -> "print", "nodeId" -> id, "batchTimeMs" -> ms, "records" -> values.take(n), "more" -> (values.size > n))
        }
      case "fraudFlags" =>
        val windowMs = inWindow.windowMs
        output(input()) { (rdd, t) =>
          Emitter.emit("type" -> "output", "kind" -> "fraudFlags", "nodeId" -> id, "batchTimeMs" -> t.milliseconds,
            "records" -> Fraud.stampFlags(rdd.collect().toVector, t.milliseconds, windowMs))
        }

      case other => refuse(s"the Spark runner does not translate \"$other\" nodes yet")
    }

    for ((port, stream) <- produced) {
      if (isStateful && bool(settings("checkpointing").asInstanceOf[Obj], "enabled"))
        settings("checkpointing").asInstanceOf[Obj].get("intervalMs").filter(_ != null).foreach(i => stream.checkpoint(Milliseconds(Values.asNumber(i).toLong)))
      streams(s"$id:$port") = stream
    }
  }

  private def source(nodeId: String, s: org.apache.spark.streaming.dstream.InputDStream[Any]): Map[String, DStream[Any]] = {
    inputStreamIds(s.id) = s"$nodeId:out"
    Map("out" -> s)
  }

  /** The first input stream: the runner's batch clock hangs an empty output on it (see Runner). */
  def anyInput: Option[DStream[Any]] = inputStreamIds.headOption.flatMap { case (_, sid) => streams.get(sid) }
}

object Translate {
  /** Keep in step with server/spark/translatable.ts. */
  val CassandraLookup = "a lookup join on a Cassandra table needs the Spark Cassandra connector, which the runner does not include"

  def isPair(v: Any): Boolean = v match { case x: Vector[_] => x.size == 2; case _ => false }

  /** A pair stream's records as Tuple2; a record that is not [key, value] is the node's error. */
  def pairs(s: DStream[Any], nodeId: String, errors: NodeErrors): DStream[(Any, Any)] =
    s.flatMap {
      case Vector(k, v) => Some((k, v))
      case other => errors.report(nodeId, None, s"expected a [key, value] pair, got ${Values.write(other)}", other, None); None
    }

  def pairsRdd(rdd: RDD[Any], nodeId: String, errors: NodeErrors, t: Long): RDD[(Any, Any)] =
    rdd.flatMap {
      case Vector(k, v) => Some((k, v))
      case other => errors.report(nodeId, None, s"expected a [key, value] pair, got ${Values.write(other)}", other, Some(t)); None
    }

  def unpairs(s: DStream[(Any, Any)]): DStream[Any] = s.map { case (k, v) => Vector(k, v): Any }

  /** JavaScript's typeof of a value as it crossed back from a user function. */
  def typeOf(v: Any): String = v match {
    case None | null => "null"
    case Some(x) => typeOf(x)
    case _: String => "string"
    case _: Double => "number"
    case _: Boolean => "boolean"
    case _ => "object"
  }

  /**
   * listByKeyAndWindow's identity of a value: a field (dotted path) of an object, the value itself
   * when it is not an object (as the engine's idReader). Values compare by Scala's structural
   * equality, which for our JSON values is the engine's canonical key equality.
   */
  def idReader(idField: String): Any => Any =
    if (idField.contains('.')) (r: Any) => idField.split('.').foldLeft[Option[Any]](Some(r)) {
      case (Some(m: scala.collection.Map[_, _]), step) => m.asInstanceOf[scala.collection.Map[String, Any]].get(step)
      case _ => None
    }
    else {
      case m: scala.collection.Map[_, _] => m.asInstanceOf[scala.collection.Map[String, Any]].get(idField)
      case other => Some(other)
    }

  /** Scala's `a diff b` with equality by id: one element of `a` removed per element of `b`, first occurrences first. */
  def listDiff(a: Vector[Any], b: Vector[Any], id: Any => Any): Vector[Any] =
    if (b.isEmpty) a
    else {
      val toRemove = scala.collection.mutable.HashMap.empty[Any, Int]
      b.foreach(x => toRemove.updateWith(id(x))(c => Some(c.getOrElse(0) + 1)))
      a.filter { x =>
        val k = id(x)
        toRemove.get(k) match {
          case Some(c) if c > 0 => toRemove(k) = c - 1; false
          case _ => true
        }
      }
    }
}
