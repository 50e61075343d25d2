/**
 * Text of a record as Scala's `toString` would print it, so `print()` and text files read like
 * Spark's: tuples (arrays) as `(a,1)`, an absent join side (`undefined`) as `None`, maps as
 * `Map(k -> v)`. Plain objects print as JSON. Browser-safe.
 */
export function formatRecord(value: unknown): string {
  if (value === undefined) return "None";
  if (value === null) return "null";
  switch (typeof value) {
    case "string":
      return value;
    case "number":
    case "boolean":
    case "bigint":
      return String(value);
    case "object":
      break;
    default:
      return String(value);
  }
  if (Array.isArray(value)) return "(" + value.map(formatRecord).join(",") + ")";
  // Tags, not instanceof: records made in a user function's realm have that realm's classes.
  const tag = Object.prototype.toString.call(value);
  const iterable = typeof (value as { [Symbol.iterator]?: unknown })[Symbol.iterator] === "function";
  if (tag === "[object Map]" && iterable) return "Map(" + [...(value as Map<unknown, unknown>)].map(([k, v]) => `${formatRecord(k)} -> ${formatRecord(v)}`).join(", ") + ")";
  if (tag === "[object Set]" && iterable) return "Set(" + [...(value as Set<unknown>)].map(formatRecord).join(", ") + ")";
  if (tag === "[object Date]") return Number.isNaN((value as Date).getTime()) ? "Invalid Date" : (value as Date).toISOString();
  // A class's own toString speaks for it (as in Scala). Objects made by user functions come from
  // another realm, whose Object.prototype.toString is not this one's: any result of the generic
  // "[object X]" form means "no toString of its own", and the record prints as JSON instead.
  const own = (value as { toString?: () => string }).toString;
  if (own !== Object.prototype.toString && typeof own === "function") {
    try {
      const text = own.call(value);
      if (typeof text === "string" && !/^\[object [^\]]*\]$/.test(text)) return text;
    } catch {
      // a throwing toString: fall back to JSON
    }
  }
  return toJson(value);
}

/** JSON that does not throw: bigints as text, nested Maps as objects and Sets as arrays, cycles as "[Circular]". */
function toJson(value: object): string {
  const plain = (v: unknown): unknown => {
    if (typeof v === "bigint") return v.toString();
    const tag = Object.prototype.toString.call(v);
    if (v instanceof Map || (tag === "[object Map]" && typeof (v as Map<unknown, unknown>).entries === "function")) return Object.fromEntries([...(v as Map<unknown, unknown>).entries()].map(([k, x]) => [formatRecord(k), x]));
    if (v instanceof Set || (tag === "[object Set]" && typeof (v as Set<unknown>).values === "function")) return [...(v as Set<unknown>).values()];
    return v;
  };
  try {
    return JSON.stringify(value, (_key, v: unknown) => plain(v));
  } catch {
    // A cycle: print the first visit of each object, mark the repeats.
    const seen = new WeakSet<object>();
    try {
      return JSON.stringify(value, (_key, v: unknown) => {
        if (v !== null && typeof v === "object") {
          if (seen.has(v)) return "[Circular]";
          seen.add(v);
        }
        return plain(v);
      });
    } catch (e) {
      return `<unprintable record: ${(e as Error).message}>`;
    }
  }
}
