/**
 * The limits on what a client may send, each with the setting that raises it. Route handlers
 * and the request gate read them from the environment (one process, one set of values); a
 * setting that is not a positive whole number stops the server at start.
 */
export interface RequestLimits {
  /** Bytes of one request body (`MAX_BODY_BYTES`). */
  readonly maxBodyBytes: number;
  /** Nesting of arrays and objects in a JSON body or document (`MAX_DOCUMENT_DEPTH`). */
  readonly maxDepth: number;
  /** Nodes of one pipeline document (`MAX_PIPELINE_NODES`). */
  readonly maxNodes: number;
  /** Records (and batches) held inline by one queue source node (`MAX_QUEUE_RECORDS`). */
  readonly maxQueueRecords: number;
}

/** Each limit's default and the environment variable that sets it. */
export const LIMIT_SETTINGS = {
  maxBodyBytes: { env: "MAX_BODY_BYTES", default: 2 * 1024 * 1024 },
  maxDepth: { env: "MAX_DOCUMENT_DEPTH", default: 64 },
  maxNodes: { env: "MAX_PIPELINE_NODES", default: 500 },
  maxQueueRecords: { env: "MAX_QUEUE_RECORDS", default: 10_000 },
} as const satisfies Record<keyof RequestLimits, { env: string; default: number }>;

export function loadLimits(env: Readonly<Record<string, string | undefined>> = process.env): RequestLimits {
  const read = (key: keyof RequestLimits): number => {
    const { env: name, default: fallback } = LIMIT_SETTINGS[key];
    const text = env[name]?.trim();
    if (!text) return fallback;
    const n = Number(text);
    if (!Number.isSafeInteger(n) || n < 1) throw new Error(`${name} must be a whole number of 1 or more; got "${text}"`);
    return n;
  };
  return { maxBodyBytes: read("maxBodyBytes"), maxDepth: read("maxDepth"), maxNodes: read("maxNodes"), maxQueueRecords: read("maxQueueRecords") };
}

let cached: RequestLimits | undefined;

/** The limits of this process (read once from its environment). */
export function limits(): RequestLimits {
  cached ??= loadLimits();
  return cached;
}

/**
 * Whether a parsed JSON value holds a `__proto__` key anywhere (JSON.parse keeps it as an own
 * key, but copying such an object, as validation does, would set the copy's prototype instead).
 */
export function hasProtoKey(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length) {
    const v = stack.pop();
    if (v === null || typeof v !== "object") continue;
    if (!Array.isArray(v) && Object.prototype.hasOwnProperty.call(v, "__proto__")) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) if (child !== null && typeof child === "object") stack.push(child);
  }
  return false;
}

/** The nesting depth of a JSON value (a scalar is 0, `[]` is 1), counted no further than `stopAt`. */
export function jsonDepth(value: unknown, stopAt: number): number {
  // Iterative, so that a value nested far deeper than the stack allows is measured all the same.
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== "object") continue;
    const here = depth + 1;
    if (here > deepest) deepest = here;
    if (deepest > stopAt) return deepest;
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      if (child !== null && typeof child === "object") stack.push([child, here]);
    }
  }
  return deepest;
}
