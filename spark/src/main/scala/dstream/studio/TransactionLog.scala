package dstream.studio

import java.time.{Instant, ZoneId}
import java.time.format.DateTimeFormatter

/**
 * The article's KafkaTransactionProducer, as engine/sources/transactionLog.ts writes it: the same
 * accounts, descriptions and amounts, the same delays, the same mulberry32 for seeded random
 * mode, the same line format, so both engines read the very same lines.
 */
object TransactionLog {
  val Accounts: Vector[String] = Vector("123-ABC-789", "456-DEF-456", "333-XYZ-999", "987-CBA-321")
  val Descriptions: Vector[String] = Vector("Drug Store", "Grocery Store", "Electronics", "Park", "Gas", "Books", "Movies", "Misc")
  val Amounts: Vector[Double] = Vector(10.34, 94.65, 2.49, 306.21, 1073.12, 20.0, 7.92, 4322.33)
  val DeterministicCount = 101
  val RandomMaxDelayMs = 5000

  final case class Entry(step: Int, account: String, description: String, amount: Double)
  final case class Scheduled(delayMs: Double, entry: Entry)

  /** mulberry32, bit for bit as the TypeScript version (Math.imul is Int multiplication). */
  final class Mulberry32(seed: Long) {
    private var a: Int = seed.toInt
    def next(): Double = {
      a = a + 0x6d2b79f5
      var t = a
      t = (t ^ (t >>> 15)) * (t | 1)
      t ^= t + (t ^ (t >>> 7)) * (t | 61)
      ((t ^ (t >>> 14)).toLong & 0xffffffffL).toDouble / 4294967296.0
    }
    def nextInt(bound: Int): Int = Math.floor(next() * bound).toInt
  }

  def schedule(mode: String, seed: Long): Iterator[Scheduled] = mode match {
    case "deterministic" =>
      Iterator.range(0, DeterministicCount).map { step =>
        Scheduled((step + 1) * 50.0, Entry(step, Accounts(step % 4), Descriptions(step % 8), Amounts(step % 8)))
      }
    case _ =>
      val random = new Mulberry32(seed)
      Iterator.from(0).map { step =>
        val delay = random.nextInt(RandomMaxDelayMs).toDouble
        val account = Accounts(random.nextInt(Accounts.size))
        val description = Descriptions(random.nextInt(Descriptions.size))
        val amount = Math.floor((random.nextInt(5000) + random.next()) * 100) / 100
        Scheduled(delay, Entry(step, account, description, amount))
      }
  }

  private val dateFormat = DateTimeFormatter.ofPattern("MM/dd/yyyy")

  /** `formatScalaDouble`: whole numbers as `20.0`, others as JavaScript's String(n). */
  def formatAmount(d: Double): String =
    if (d == Math.rint(d)) f"$d%.1f" else java.math.BigDecimal.valueOf(d).stripTrailingZeros.toPlainString

  /** `id,MM/dd/yyyy,account,amount,description`, the date in local time as SimpleDateFormat prints it. */
  def line(e: Entry, sendMs: Double): String = {
    // new Date(ms) truncates a fractional time value toward zero.
    val date = Instant.ofEpochMilli(sendMs.toLong).atZone(ZoneId.systemDefault()).toLocalDate
    s"${e.step},${dateFormat.format(date)},${e.account},${formatAmount(e.amount)},${e.description}"
  }
}
