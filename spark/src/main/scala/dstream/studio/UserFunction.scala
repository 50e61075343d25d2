package dstream.studio

import org.graalvm.polyglot.{Context, Engine, PolyglotException, Source, Value}
import scala.collection.mutable

/** A user function threw (or returned what its node cannot use): the record goes to the node errors. */
final class UserFunctionError(message: String) extends RuntimeException(message)

/**
 * The state a mapWithState function sees, as plain data in and out: whether it exists, its value,
 * whether the key is timing out; the function's calls to update/remove come back as `op`.
 */
final case class StateIn(exists: Boolean, value: Any, timingOut: Boolean)
final case class StateOut(result: Any, op: String, value: Any)

/**
 * GraalJS contexts for user functions: one per executor thread (a Context is single-threaded),
 * with no host access at all (no Java, no files, no threads, no environment). Each source is
 * compiled once per context. Records cross as JSON text, so the function sees exactly the plain
 * values our engine gives it and cannot keep references to anything of the runner.
 */
object JsRuntime {
  // console.log would write to the driver's stdout, which may carry the runner's JSON lines.
  private lazy val engine: Engine = Engine
    .newBuilder("js")
    .option("engine.WarnInterpreterOnly", "false")
    .out(java.io.OutputStream.nullOutputStream())
    .err(java.io.OutputStream.nullOutputStream())
    .build()

  private val Wrapper =
    """(f, a, u) => { const args = JSON.parse(a); for (const i of JSON.parse(u)) args[i] = undefined; const r = f(...args); if (r === undefined) return "u"; const s = JSON.stringify(r); return s === undefined ? "u" : "j" + s; }"""
  private val StateWrapper =
    """(f, a) => {
      |  const [key, v0, s] = JSON.parse(a);
      |  const value = s.noValue ? undefined : v0;
      |  let op = "none", next;
      |  const state = Object.freeze({
      |    exists: () => op === "update" || (op === "none" && s.exists),
      |    get: () => { if (op === "update") return next; if (op === "none" && s.exists) return s.value; throw new Error("state does not exist"); },
      |    update: (v) => { if (s.timingOut) throw new Error("cannot update the state of a key that is timing out"); op = "update"; next = v; },
      |    remove: () => { op = "remove"; next = undefined; },
      |    isTimingOut: () => s.timingOut,
      |  });
      |  const r = f(key, value, state);
      |  return JSON.stringify({ r: r === undefined ? null : r, op, v: next === undefined ? null : next });
      |}""".stripMargin

  private final class PerThread {
    // No host access, and none of GraalJS's shell built-ins (print and load would write to the
    // driver's output and read files or URLs): the globals a function sees are ECMAScript's.
    val context: Context = Context
      .newBuilder("js")
      .engine(engine)
      .allowAllAccess(false)
      .option("js.print", "false")
      .option("js.load", "false")
      .option("js.graal-builtin", "false")
      .build()
    val call: Value = context.eval("js", Wrapper)
    val callWithState: Value = context.eval("js", StateWrapper)
    val functions = mutable.HashMap.empty[String, Value]
    def function(source: String): Value =
      functions.getOrElseUpdate(source, context.eval(Source.newBuilder("js", "(" + source + "\n)", "userFunction.js").buildLiteral()))
  }
  private val local = ThreadLocal.withInitial[PerThread](() => new PerThread)

  /** Compiles a source on the driver before the run starts; Left(message) when it is not a function. */
  def check(source: String): Either[String, Unit] =
    try {
      val f = local.get().function(source)
      if (f.canExecute) Right(()) else Left("is not a function")
    } catch { case e: PolyglotException => Left(e.getMessage) }

  /** Calls a function; None arguments are passed as undefined; None back when it returned undefined. */
  def call(source: String, args: Seq[Any]): Option[Any] = guard {
    val undefinedAt = args.indices.filter(i => args(i) == None)
    val t = local.get()
    val out = t.call.execute(t.function(source), Values.write(args.toVector), Values.write(undefinedAt.map(_.toDouble))).asString
    if (out == "u") None else Some(Values.parse(out.substring(1)))
  }

  def callWithState(source: String, key: Any, value: Option[Any], state: StateIn): StateOut = guard {
    val s = Values.obj("exists" -> state.exists, "value" -> state.value, "timingOut" -> state.timingOut, "noValue" -> value.isEmpty)
    val t = local.get()
    val out = Values.parse(t.callWithState.execute(t.function(source), Values.write(Vector(key, value.orNull, s))).asString)
      .asInstanceOf[Values.Obj]
    StateOut(out("r"), out("op").asInstanceOf[String], out("v"))
  }

  private def guard[T](body: => T): T =
    try body
    catch {
      // The function's own throw (or a value JSON cannot carry) is the record's error; anything
      // else (the engine broken, out of memory) stops the run.
      case e: PolyglotException if e.isGuestException || e.isSyntaxError =>
        // GraalJS prefixes the error's name ("TypeError: ..."); the engine reports error.message.
        throw new UserFunctionError(String.valueOf(e.getMessage).replaceFirst("^[A-Za-z]*Error: ", ""))
    }
}
