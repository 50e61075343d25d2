package dstream.studio

import Values.{obj, Obj}
import java.time.LocalDate

/**
 * The article's built-in nodes in Scala, field for field as engine/pipeline/catalog/article.ts and
 * the engine's fraud modules compute them, so that a template runs at Spark's native speed and
 * gives the same records: SimpleTransaction, UnparsableTransaction, AggregateData, the two rules,
 * EvaluatedSimpleTransaction and the flags the fraud panel shows.
 */
object Fraud {
  private val IdPattern = "^-?\\d+$".r
  private val DatePattern = "^(\\d{2})/(\\d{2})/(\\d{4})$".r
  private val Decimal = "^[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?$".r
  private val Radix = "^0([xXoObB])([0-9a-fA-F]+)$".r

  /** JavaScript's Number(text) for what a CSV field can hold; NaN when JavaScript gives NaN. */
  def jsNumber(text: String): Double = text.strip match {
    case "" => 0.0
    case "Infinity" | "+Infinity" => Double.PositiveInfinity
    case "-Infinity" => Double.NegativeInfinity
    case t @ Decimal(_*) => t.toDouble
    case Radix(r, digits) =>
      val base = r.toLowerCase match { case "x" => 16; case "o" => 8; case _ => 2 }
      try BigInt(digits, base).toDouble catch { case _: NumberFormatException => Double.NaN }
    case _ => Double.NaN
  }

  /** String(n) for the numbers the runner prints into text (rule names). */
  def jsString(d: Double): String =
    if (d == Math.rint(d) && Math.abs(d) < 1e21) d.toLong.toString else java.lang.Double.toString(d)

  def parseTransactionLine(line: Any): Either[Obj, Obj] = {
    val text = line match { case s: String => s; case d: Double => jsString(d); case other => Values.write(other) }
    val parts = text.split(",", -1).toVector
    val idText = parts.headOption.map(_.strip).getOrElse("")
    val id: Option[Double] = if (IdPattern.matches(idText)) Some(idText.toDouble) else None
    def fail(error: String, withId: Option[Double]) =
      Left(withId.fold(obj("originalMessage" -> text, "error" -> error))(i => obj("id" -> i, "originalMessage" -> text, "error" -> error)))
    if (parts.size < 5) return fail(s"expected 5 comma-separated fields (id,date,account_number,amount,description), got ${parts.size}", id)
    if (id.isEmpty) return fail(s"""id "$idText" is not a whole number""", None)
    val dateText = parts(1).strip
    val account = parts(2).strip
    val amountText = parts(3).strip
    val validDate = dateText match {
      case DatePattern(mm, dd, yyyy) =>
        val (m, d, y0) = (mm.toInt, dd.toInt, yyyy.toInt)
        val y = if (y0 <= 99) 1900 + y0 else y0 // Date.UTC reads years 0-99 as 1900-1999
        m >= 1 && m <= 12 && d >= 1 && d <= LocalDate.of(y, m, 1).lengthOfMonth
      case _ => false
    }
    if (!validDate) return fail(s"""date "$dateText" is not a valid MM/dd/yyyy date""", id)
    val amount = jsNumber(amountText)
    if (amountText.isEmpty || amount.isNaN || amount.isInfinite) return fail(s"""amount "$amountText" is not a number""", id)
    if (account.isEmpty) return fail("account_number is empty", id)
    val DatePattern(mm, dd, yyyy) = dateText: @unchecked
    Right(obj("id" -> id.get, "date" -> s"$yyyy-$mm-$dd", "account_number" -> account, "amount" -> amount, "description" -> parts.drop(4).mkString(",").strip))
  }

  def aggregateData(total: Double, numTx: Double, windowAvg: Double, txs: Vector[Any]): Obj =
    obj("totalSpending" -> total, "numTx" -> numTx, "windowSpendingAvg" -> windowAvg, "averageTx" -> (if (numTx > 0) total / numTx else 0.0), "windowTransactions" -> txs)

  def windowAggregate(txs: Vector[Obj]): Obj = {
    var total = 0.0
    txs.foreach(tx => total += tx("amount").asInstanceOf[Double])
    val n = txs.size.toDouble
    aggregateData(total, n, if (n > 0) total / n else 0.0, txs)
  }

  def updateAggregate(txs: Vector[Obj], old: Option[Obj]): Obj = {
    val c = windowAggregate(txs)
    old match {
      case None => c
      case Some(o) =>
        aggregateData(num(o, "totalSpending") + num(c, "totalSpending"), num(o, "numTx") + num(c, "numTx"), num(c, "windowSpendingAvg"), txs)
    }
  }

  private def num(o: Obj, field: String): Double = o(field).asInstanceOf[Double]

  /** `asTransaction`: an object with a finite numeric amount, or the record's error message. */
  def asTransaction(v: Any): Either[String, Obj] = v match {
    case m: Obj if m.get("amount").exists { case d: Double => !d.isNaN && !d.isInfinite; case _ => false } => Right(m)
    case other => Left(s"not a SimpleTransaction (numeric amount needed): ${Values.write(other)}")
  }

  def historicAverageRules(account: String, agg: Obj, historic: Double, threshold: Double): Vector[Obj] = {
    val txs = agg("windowTransactions").asInstanceOf[Vector[Obj]]
    val base = obj("account" -> account, "windowSpendingAvg" -> agg("windowSpendingAvg"), "averageTx" -> agg("averageTx"), "historicAvg" -> historic,
      "amount" -> null, "threshold" -> threshold, "txIds" -> txs.map(_("id")), "transactions" -> txs)
    Vector(
      if (num(agg, "averageTx") - historic > threshold) Some(base + ("rule" -> "averageTx")) else None,
      if (num(agg, "windowSpendingAvg") - historic > threshold) Some(base + ("rule" -> "windowSpendingAvg")) else None,
    ).flatten
  }

  def evaluate(tx: Obj, aggregate: Obj, limit: Double): Obj =
    obj("tx" -> tx, "isPossibleFraud" -> (num(tx, "amount") > limit), "rule" -> s"amount>${jsString(limit)}", "threshold" -> limit, "aggregate" -> aggregate)

  /** `toCandidate`: rule flags as they are, evaluated transactions that are possible frauds; nothing else. */
  def toCandidate(record: Any): Option[Obj] = record match {
    case r: Obj if r.get("isPossibleFraud").exists(_.isInstanceOf[Boolean]) && r.get("tx").exists(_ != null) && r.get("aggregate").exists(_ != null) =>
      if (r("isPossibleFraud") != true) None
      else {
        val tx = r("tx").asInstanceOf[Obj]
        val a = r("aggregate").asInstanceOf[Obj]
        Some(obj("account" -> tx.getOrElse("account_number", null), "rule" -> r.getOrElse("rule", "isPossibleFraud"),
          "windowSpendingAvg" -> a.getOrElse("windowSpendingAvg", null), "averageTx" -> a.getOrElse("averageTx", null), "historicAvg" -> null,
          "amount" -> tx.getOrElse("amount", null), "threshold" -> r.getOrElse("threshold", Double.NaN),
          "txIds" -> Vector(tx.getOrElse("id", null)), "transactions" -> Vector(tx)))
      }
    case r: Obj if r.get("account").exists(_.isInstanceOf[String]) && r.get("rule").exists(_.isInstanceOf[String]) =>
      Some(r ++ Seq("txIds" -> Option(r.getOrElse("txIds", null)).getOrElse(Vector.empty), "transactions" -> Option(r.getOrElse("transactions", null)).getOrElse(Vector.empty)))
    case _ => None
  }

  def stampFlags(records: Seq[Any], batchTimeMs: Long, windowMs: Long): Vector[Obj] = {
    val window = obj("startMs" -> (batchTimeMs - windowMs).toDouble, "endMs" -> batchTimeMs.toDouble)
    records.flatMap(toCandidate).map(c => c ++ Seq("batchTimeMs" -> batchTimeMs.toDouble, "window" -> window)).toVector
  }
}
