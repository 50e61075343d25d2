import { canonical } from "./keys";

/**
 * Spark's `Ordering[T]` as a comparator: negative when `a` sorts before `b`, zero when equal,
 * positive after. Browser-safe.
 */
export type Ordering<T> = (a: T, b: T) => number;

/** Rank of a value's type when two values of different types meet (keeps the order total). */
function typeRank(v: unknown): number {
  if (v === undefined) return 0;
  if (v === null) return 1;
  switch (typeof v) {
    case "boolean":
      return 2;
    case "number":
    case "bigint":
      return 3;
    case "string":
      return 4;
    default:
      return Array.isArray(v) ? 5 : 6;
  }
}

/**
 * The natural ordering Scala gives the common key types: numbers numerically, strings by UTF-16
 * code units (Java's String.compareTo), booleans false < true, tuples (arrays) element by
 * element then by length, dates by time. Other objects compare by their canonical text so the
 * order stays total and repeatable.
 */
export function naturalOrdering(a: unknown, b: unknown): number {
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra - rb;
  switch (ra) {
    case 2:
      return (a ? 1 : 0) - (b ? 1 : 0);
    case 3: {
      const x = a as number | bigint;
      const y = b as number | bigint;
      if (Number.isNaN(x) || Number.isNaN(y)) return (Number.isNaN(x) ? 1 : 0) - (Number.isNaN(y) ? 1 : 0); // NaN last, as Java's Double.compare
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case 4:
      return (a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0;
    case 5: {
      const x = a as unknown[];
      const y = b as unknown[];
      for (let i = 0; i < x.length && i < y.length; i++) {
        const c = naturalOrdering(x[i], y[i]);
        if (c !== 0) return c;
      }
      return x.length - y.length;
    }
    case 6: {
      if (a instanceof Date && b instanceof Date) return a.getTime() - b.getTime();
      const x = canonical(a);
      const y = canonical(b);
      return x < y ? -1 : x > y ? 1 : 0;
    }
    default:
      return 0;
  }
}

/** `ord.reverse`. */
export function reverse<T>(ord: Ordering<T>): Ordering<T> {
  return (a, b) => ord(b, a);
}

/** Checks an ordering argument, naming the operation, so a bad value fails where it is passed. */
export function orderingOf<T>(ord: Ordering<T> | undefined, operation: string): Ordering<T> {
  if (ord === undefined) return naturalOrdering;
  if (typeof ord !== "function") throw new TypeError(`${operation}: the ordering must be a function (a, b) => number, got ${typeof ord}`);
  return ord;
}
