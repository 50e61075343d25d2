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
  if (value instanceof Map) return "Map(" + [...value].map(([k, v]) => `${formatRecord(k)} -> ${formatRecord(v)}`).join(", ") + ")";
  if (value instanceof Set) return "Set(" + [...value].map(formatRecord).join(", ") + ")";
  if (value instanceof Date) return value.toISOString();
  const own = (value as { toString?: () => string }).toString;
  if (own !== Object.prototype.toString && typeof own === "function") return own.call(value);
  return JSON.stringify(value);
}
