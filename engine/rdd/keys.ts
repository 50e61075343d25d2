/**
 * Keys of pair records: primitives are grouped as themselves (the fast path: a Map lookup on the
 * value), structured keys (arrays, plain objects, dates) by a canonical string, so that two equal
 * arrays are one key. Canonical strings start with "\u0000" so they do not meet ordinary strings.
 */
export type KeyId = string | number | boolean | bigint | symbol | null | undefined;

/** The value a Map groups `key` by. */
export function keyId(key: unknown): KeyId {
  return typeof key === "object" && key !== null ? "\u0000" + canonical(key) : (key as KeyId);
}

/** A stable text form of a structured value: object keys sorted, types tagged. */
export function canonical(value: unknown): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "string":
      return JSON.stringify(value);
    case "number":
      return Object.is(value, -0) ? "0" : String(value);
    case "bigint":
      return `${value}n`;
    case "boolean":
      return value ? "true" : "false";
    case "undefined":
      return "undefined";
    case "object":
      break;
    default:
      return String(value);
  }
  if (Array.isArray(value)) return "[" + value.map(canonical).join(",") + "]";
  if (value instanceof Date) return `Date(${value.getTime()})`;
  if (value instanceof Map) return "Map{" + [...value.entries()].map(([k, v]) => canonical(k) + ":" + canonical(v)).sort().join(",") + "}";
  if (value instanceof Set) return "Set{" + [...value].map(canonical).sort().join(",") + "}";
  const obj = value as Record<string, unknown>;
  return "{" + Object.keys(obj).sort().map((k) => JSON.stringify(k) + ":" + canonical(obj[k])).join(",") + "}";
}

/** Java's String.hashCode, so partition numbers look like Spark's for string keys. */
function stringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

/** A 32-bit hash of a key, close to the JVM's hashCode for strings, ints and booleans. */
export function keyHash(key: unknown): number {
  switch (typeof key) {
    case "string":
      return stringHash(key);
    case "number":
      return Number.isInteger(key) && key >= -2147483648 && key <= 2147483647 ? key | 0 : stringHash(String(key));
    case "boolean":
      return key ? 1231 : 1237;
    case "undefined":
      return 0;
    case "object":
      return key === null ? 0 : stringHash(canonical(key));
    default:
      return stringHash(String(key));
  }
}
