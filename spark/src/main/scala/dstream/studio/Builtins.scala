package dstream.studio

import org.apache.spark.rdd.RDD
import org.apache.spark.streaming.{State, StateSpec, Time, Milliseconds}
import org.apache.spark.streaming.dstream.DStream
import Values.{obj, Obj}

/** The tables read once per run (driver side), by lookup node. */
object LookupCache {
  val cached = new java.util.concurrent.ConcurrentHashMap[String, RDD[(Any, Option[Any])]]()
}

/** Lookup tables: a JSON file `{ table: rows[] }` the Studio writes from its database before the run. */
object Tables {
  @volatile var reads = 0
  def read(path: String, table: String): Vector[Any] =
    if (path == null) Vector.empty
    else {
      reads += 1
      Values.parse(new String(java.nio.file.Files.readAllBytes(java.nio.file.Paths.get(path)), "UTF-8")) match {
        case m: Values.Obj => m.getOrElse(table, Vector.empty) match { case v: Vector[_] => v; case _ => Vector.empty }
        case _ => Vector.empty
      }
    }
}

/** The no-code nodes as Scala over Spark's operators (engine/pipeline/catalog/article.ts, pair.ts). */
object Builtins {
  /** The values of a key as transactions; a bad one is reported and left out. */
  private def transactionsOf(values: Iterable[Any], nodeId: String, errors: NodeErrors, t: Option[Long]): Vector[Obj] =
    values.toVector.flatMap { v =>
      Fraud.asTransaction(v) match {
        case Right(tx) => Some(tx)
        case Left(message) => errors.report(nodeId, None, message, v, t); None
      }
    }

  def aggregateState(in: DStream[(Any, Any)], nodeId: String, errors: NodeErrors): DStream[Any] =
    Translate.unpairs(in.updateStateByKey[Any] { (values: Seq[Any], state: Option[Any]) =>
      Some(Fraud.updateAggregate(transactionsOf(values, nodeId, errors, None), state.map(_.asInstanceOf[Obj])))
    })

  def aggregateWithState(in: DStream[(Any, Any)], nodeId: String, errors: NodeErrors, limit: Double, timeoutMs: Option[Long]): (DStream[Any], DStream[Any]) = {
    val spec0 = StateSpec.function { (_: Time, _: Any, value: Option[Any], state: State[Any]) =>
      if (state.isTimingOut()) Some(Vector.empty[Any])
      else {
        val values = value match { case None | Some(null) => Vector.empty; case Some(v: Vector[_]) => v; case Some(v) => Vector(v) }
        val txs = transactionsOf(values, nodeId, errors, None)
        val next = Fraud.updateAggregate(txs, if (state.exists()) Some(state.get().asInstanceOf[Obj]) else None)
        state.update(next)
        Some(txs.map(tx => Fraud.evaluate(tx, next, limit): Any))
      }
    }
    val spec = timeoutMs.fold(spec0)(t => spec0.timeout(Milliseconds(t)))
    val mapped = in.mapWithState(spec)
    (mapped.flatMap(list => list), Translate.unpairs(mapped.stateSnapshots()))
  }

  def fraudRules(in: DStream[Any], nodeId: String, threshold: Double, errors: NodeErrors): DStream[Any] =
    in.transform { (rdd: RDD[Any], t: Time) =>
      rdd.flatMap { kv =>
        kv match {
          case Vector(account, Vector(agg: Obj, historic)) if { val h = Values.asNumber(historic); historic != null && !h.isNaN && !h.isInfinite } =>
            Fraud.historicAverageRules(account match { case s: String => s; case d: Double => Fraud.jsString(d); case o => Values.write(o) }, agg, Values.asNumber(historic), threshold)
          case other =>
            errors.report(nodeId, None, "expected [account, [AggregateData, historic average]]", other, Some(t.milliseconds))
            Vector.empty
        }
      }
    }

  private val comparisons: Map[String, (Double, Double) => Boolean] =
    Map(">" -> (_ > _), ">=" -> (_ >= _), "<" -> (_ < _), "<=" -> (_ <= _), "==" -> (_ == _), "!=" -> (_ != _))

  def thresholdFilter(in: DStream[Any], field: String, minus: String, op: String, threshold: Double): DStream[Any] = {
    val cmp = comparisons(op)
    in.filter { r =>
      val a = Values.asNumber(Values.readField(r, field))
      val b = if (minus.nonEmpty) Values.asNumber(Values.readField(r, minus)) else 0.0
      cmp(a - b, threshold)
    }
  }

  /**
   * The article's `storedHistoric`: Spark's join against the table's RDD, read once and cached, or
   * read every batch. The table is keyed as the engine keys it (one value per key, the last row
   * wins; rows without the key field are left out), so that a key never joins twice; a row whose
   * value is null is the record's error, a row without the value is no match.
   */
  def lookupJoin(in: DStream[(Any, Any)], nodeId: String, table: String, rows: () => Vector[Any], keyField: String, valueField: String,
      outer: Boolean, once: Boolean, errors: NodeErrors): DStream[Any] = {
    in.transform { (rdd: RDD[(Any, Any)]) =>
      def read(): RDD[(Any, Option[Any])] = {
        val byKey = scala.collection.mutable.LinkedHashMap.empty[Any, Option[Any]]
        rows().foreach(r => Values.fieldOption(r, keyField).foreach(k => byKey(k) = Values.fieldOption(r, valueField)))
        rdd.sparkContext.parallelize(byKey.toVector, 1)
      }
      val lookup = if (once) LookupCache.cached.computeIfAbsent(nodeId, _ => read().cache()) else read()
      rdd.leftOuterJoin(lookup).flatMap { case (k, (v, found)) =>
        found.flatten match {
          case Some(null) =>
            errors.report(nodeId, Some("valueField"), s"""table "$table" has no $valueField (null) for key ${Values.write(k)}""", Vector(k, v), None)
            None
          case Some(x) => Some(Vector(k, Vector(v, x)): Any)
          case None => if (outer) Some(Vector(k, Vector(v, null)): Any) else None
        }
      }
    }
  }

  /** sum, count, average, min or max of a numeric field of the values, per key (combineByKey). */
  def aggregate(in: DStream[(Any, Any)], nodeId: String, op: String, field: String, errors: NodeErrors): DStream[Any] = {
    type Acc = (Double, Double, Double, Double)
    val accs = in.flatMap { case (k, v) =>
      val n = if (op == "count") 0.0 else Values.asNumber(if (field.nonEmpty) Values.readField(v, field) else v)
      if (n.isNaN) { errors.report(nodeId, Some("field"), s"""field "$field" is not a number""", Vector(k, v), None); None }
      else Some((k, (n, 1.0, n, n)))
    }
    Translate.unpairs(accs.reduceByKey((x: Acc, y: Acc) => (x._1 + y._1, x._2 + y._2, math.min(x._3, y._3), math.max(x._4, y._4))).map { case (k, (sum, count, min, max)) =>
      (k, (op match { case "sum" => sum; case "count" => count; case "average" => sum / count; case "min" => min; case _ => max }): Any)
    })
  }

  /** combineByKey's combiner that could not be made (createCombiner threw on the value, reported). */
  case object NoCombiner

  /**
   * Spark's combineByKey with the user's three functions, guarded as the engine guards them: a
   * value on which a function throws is reported and left out (a key with no combiner is dropped).
   */
  def combineByKey(in: DStream[(Any, Any)], create: Fn, merge: Fn, mergeCombiners: Fn, numPartitions: Int): DStream[(Any, Any)] = {
    def made(v: Any): Any = create.value(None, v).getOrElse(NoCombiner)
    in.combineByKey[Any](
      (v: Any) => made(v),
      (c: Any, v: Any) => if (c == NoCombiner) made(v) else merge.value(None, c, v).getOrElse(c),
      (a: Any, b: Any) =>
        if (a == NoCombiner) b else if (b == NoCombiner) a else mergeCombiners.value(None, a, b).getOrElse(a),
      new org.apache.spark.HashPartitioner(numPartitions)).filter(_._2 != NoCombiner)
  }
}
