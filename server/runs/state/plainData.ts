/**
 * A state value as plain, JSON-safe data of bounded size, so that it can cross to the hub and the
 * browser as data (never as the engine's or a user function's objects) and show as columns.
 * Browser-safe.
 */

const MAX_DEPTH = 4;
const MAX_FIELDS = 50;
const MAX_STRING = 1000;

export function plainData(v: unknown, depth = 0): unknown {
  try {
    return plain(v, depth);
  } catch (e) {
    // A getter that throws, a revoked proxy: the value is described, the snapshot goes on.
    return `<unreadable: ${(e as Error)?.message ?? String(e)}>`;
  }
}

function plain(v: unknown, depth: number): unknown {
  switch (typeof v) {
    case "number":
      return Number.isFinite(v) ? v : String(v);
    case "string":
      return v.length > MAX_STRING ? `${v.slice(0, MAX_STRING - 1)}…` : v;
    case "boolean":
      return v;
    case "bigint":
      return String(v);
    case "undefined":
      return null;
    case "function":
    case "symbol":
      return `<${typeof v}>`;
  }
  if (v === null) return null;
  if (depth >= MAX_DEPTH) return "<nested too deep>";
  if (Array.isArray(v)) return v.slice(0, MAX_FIELDS).map((x) => plainData(x, depth + 1));
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? "Invalid Date" : v.toISOString();
  if (v instanceof Map) return Object.fromEntries([...v.entries()].slice(0, MAX_FIELDS).map(([k, x]) => [String(k), plainData(x, depth + 1)]));
  if (v instanceof Set) return [...v].slice(0, MAX_FIELDS).map((x) => plainData(x, depth + 1));
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v as object).slice(0, MAX_FIELDS)) out[k] = plainData((v as Record<string, unknown>)[k], depth + 1);
  return out;
}
