package dstream.studio

import com.fasterxml.jackson.databind.{JsonNode, ObjectMapper}
import scala.collection.immutable.ListMap
import scala.jdk.CollectionConverters._

/**
 * Records are JSON-compatible values, one mapping for the whole runner: strings, numbers as
 * Double, booleans, null, arrays as Vector, objects as ListMap (insertion order kept; serializable, which VectorMap of Scala 2.13.8 is not). Pairs
 * travel as two-element Vectors and become Tuple2 only inside the per-key operations.
 */
object Values {
  type Obj = ListMap[String, Any]
  private val mapper = new ObjectMapper()

  def parse(json: String): Any = fromNode(mapper.readTree(json))

  def fromNode(n: JsonNode): Any =
    if (n == null || n.isNull || n.isMissingNode) null
    else if (n.isTextual) n.asText
    else if (n.isNumber) n.asDouble
    else if (n.isBoolean) n.asBoolean
    else if (n.isArray) n.elements().asScala.map(fromNode).toVector
    else ListMap.from(n.fields().asScala.map(e => e.getKey -> fromNode(e.getValue)))

  def write(v: Any): String = { val sb = new java.lang.StringBuilder; write(v, sb); sb.toString }

  private def write(v: Any, sb: java.lang.StringBuilder): Unit = v match {
    case null | None => sb.append("null")
    case Some(x) => write(x, sb)
    case s: String => sb.append(mapper.writeValueAsString(s))
    case d: Double => number(d, sb)
    case f: Float => number(f.toDouble, sb)
    case i: Int => sb.append(i)
    case l: Long => sb.append(l)
    case b: Boolean => sb.append(b)
    case (a, b) => write(Vector(a, b), sb)
    case m: scala.collection.Map[_, _] =>
      sb.append('{')
      var first = true
      m.foreach { case (k, x) =>
        if (!first) sb.append(',')
        first = false
        sb.append(mapper.writeValueAsString(String.valueOf(k))).append(':')
        write(x, sb)
      }
      sb.append('}')
    case it: Iterable[_] =>
      sb.append('[')
      var first = true
      it.foreach { x => if (!first) sb.append(','); first = false; write(x, sb) }
      sb.append(']')
    case other => sb.append(mapper.writeValueAsString(String.valueOf(other)))
  }

  /** JSON.stringify's rules: NaN and infinities are null; whole numbers print without ".0". */
  private def number(d: Double, sb: java.lang.StringBuilder): Unit =
    if (d.isNaN || d.isInfinite) sb.append("null")
    else if (d == Math.rint(d) && Math.abs(d) < 1e15) sb.append(d.toLong)
    else sb.append(java.lang.Double.toString(d))

  def obj(fields: (String, Any)*): Obj = ListMap.from(fields)

  /** `readField`: a dotted path into objects (and arrays by index, as JavaScript reads "1.0"). */
  def readField(record: Any, path: String): Any =
    path.split('.').foldLeft(record) { (cur, step) =>
      cur match {
        case m: scala.collection.Map[_, _] => m.asInstanceOf[scala.collection.Map[String, Any]].getOrElse(step, null)
        case v: Vector[_] => step.toIntOption.flatMap(v.lift).getOrElse(null)
        case _ => null
      }
    }

  /** readField that tells a missing field (None, JavaScript's undefined) from a null one. */
  def fieldOption(record: Any, path: String): Option[Any] =
    path.split('.').foldLeft[Option[Any]](Some(record)) {
      case (Some(m: scala.collection.Map[_, _]), step) => m.asInstanceOf[scala.collection.Map[String, Any]].get(step)
      case (Some(v: Vector[_]), step) => step.toIntOption.flatMap(v.lift)
      case _ => None
    }

  def asNumber(v: Any): Double = v match {
    case d: Double => d
    case b: Boolean => if (b) 1 else 0
    case s: String => s.trim.toDoubleOption.getOrElse(if (s.trim.isEmpty) 0.0 else Double.NaN)
    case null => 0.0
    case _ => Double.NaN
  }
}
