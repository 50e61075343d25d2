package dstream.studio

/**
 * A node's user function, guarded as engine/pipeline/catalog/guard.ts guards it: a throw reports
 * the record (the argument, or the arguments of a reduce) on the node's errors and the call yields
 * nothing; the caller decides what nothing means (drop the record, keep the left value, keep the state).
 */
final case class Fn(nodeId: String, field: String, source: String, errors: NodeErrors) {
  /** None: threw (reported). Some(None): returned undefined. Some(Some(v)): returned v. */
  def apply(batchTimeMs: Option[Long], args: Any*): Option[Option[Any]] =
    try Some(JsRuntime.call(source, args))
    catch {
      case e: UserFunctionError =>
        errors.report(nodeId, Some(field), e.getMessage, if (args.size == 1) args.head else args.toVector, batchTimeMs)
        None
    }

  /** A value for a record: undefined travels as null (JSON has no undefined). */
  def value(batchTimeMs: Option[Long], args: Any*): Option[Any] = apply(batchTimeMs, args: _*).map(_.orNull)

  /** `guardedReduce`: on a throw keep the left value. */
  def reduce(a: Any, b: Any): Any = value(None, a, b).getOrElse(a)

  /**
   * `guardedBatch`: a function of a whole batch (transformWith, foreachRDD); a throw reports the
   * batch (its time and size, not its records). None: threw.
   */
  def batch(batchTimeMs: Long, records: Int, args: Any*): Option[Option[Any]] =
    try Some(JsRuntime.call(source, args))
    catch {
      case e: UserFunctionError =>
        errors.report(nodeId, Some(field), e.getMessage, s"batch $batchTimeMs ms ($records records)", Some(batchTimeMs))
        None
    }
}
