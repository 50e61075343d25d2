/**
 * Values cross the user-code boundary as data, in both directions: what a user function
 * receives is its own copy of the record, and what it returns is copied again before the engine
 * keeps it. The engine therefore never holds an object user code can still reach (no getter,
 * Proxy or later mutation of user code runs inside the engine), and user code never holds one
 * the engine keeps (a window's cached record, a key's stored state).
 *
 * The copy keeps JSON's data and a little more: primitives (and bigint), arrays, plain objects,
 * Date, Map and Set. Objects of other classes become plain objects of their own enumerable
 * properties; functions, symbols and promises are refused with a TypeError that names them.
 * Running the copy calls any getter or Proxy trap of user code, so it runs inside the call,
 * where a throw or a hang is charged to the user's node.
 */

/** Nesting deeper than this is refused: a cyclic or hostile value must not blow the stack. */
export const MAX_VALUE_DEPTH = 64;

export class UserValueError extends TypeError {}

const PROMISE_THEN = Promise.prototype.then;
const DATE_TIME = Date.prototype.getTime;
const isPromise = (v: object): v is Promise<unknown> => v instanceof Promise;

export function plainCopy(value: unknown, what: string, depth = 0): unknown {
  switch (typeof value) {
    case "string":
    case "number":
    case "boolean":
    case "undefined":
    case "bigint":
      return value;
    case "function":
      throw new UserValueError(`${what} is a function; records and state must be data (numbers, strings, booleans, arrays, plain objects)`);
    case "symbol":
      throw new UserValueError(`${what} is a symbol; records and state must be data`);
  }
  if (value === null) return null;
  if (depth >= MAX_VALUE_DEPTH) throw new UserValueError(`${what} is nested more than ${MAX_VALUE_DEPTH} levels deep (or refers to itself)`);
  const object = value as object;
  if (Array.isArray(object)) {
    const n = object.length;
    const out = new Array<unknown>(n);
    for (let i = 0; i < n; i++) out[i] = plainCopy(object[i], what, depth + 1);
    return out;
  }
  const proto: unknown = Object.getPrototypeOf(object);
  if (proto === Object.prototype || proto === null) return copyFields(object, what, depth);
  if (isPromise(object)) {
    // Nobody will wait for it: a rejection must not surface later as an unhandled one.
    PROMISE_THEN.call(object, undefined, () => undefined);
    throw new UserValueError(`${what} is a Promise; user functions must return their result synchronously (async functions are not supported)`);
  }
  if (object instanceof Date) return new Date(DATE_TIME.call(object));
  if (object instanceof Map) {
    const out = new Map<unknown, unknown>();
    for (const [k, v] of object) out.set(plainCopy(k, what, depth + 1), plainCopy(v, what, depth + 1));
    return out;
  }
  if (object instanceof Set) {
    const out = new Set<unknown>();
    for (const v of object) out.add(plainCopy(v, what, depth + 1));
    return out;
  }
  if (object instanceof Error) return { name: String(object.name), message: String(object.message) };
  return copyFields(object, what, depth);
}

function copyFields(object: object, what: string, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const source = object as Record<string, unknown>;
  for (const key of Object.keys(object)) {
    const v = plainCopy(source[key], what, depth + 1);
    // A key named __proto__ is data here, never the prototype of the copy.
    if (key === "__proto__") Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
    else out[key] = v;
  }
  return out;
}
