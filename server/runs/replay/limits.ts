/**
 * The bounds of recording and replaying, each with the setting that changes it. A run records
 * its first batches only, so that a replay can rebuild windows and state from the start.
 */
export interface ReplayLimits {
  /** Input batches recorded per run (`RECORD_MAX_BATCHES`; 0 turns recording off). */
  readonly maxBatches: number;
  /** Bytes of recorded input per run, as JSON (`RECORD_MAX_BYTES`). */
  readonly maxBytes: number;
  /** A replay (both documents) that takes longer is stopped (`REPLAY_TIME_LIMIT_MS`). */
  readonly timeLimitMs: number;
}

export const REPLAY_LIMIT_SETTINGS = {
  maxBatches: { env: "RECORD_MAX_BATCHES", default: 100, min: 0 },
  maxBytes: { env: "RECORD_MAX_BYTES", default: 16 * 1024 * 1024, min: 1 },
  timeLimitMs: { env: "REPLAY_TIME_LIMIT_MS", default: 60_000, min: 1 },
} as const satisfies Record<keyof ReplayLimits, { env: string; default: number; min: number }>;

export function loadReplayLimits(env: Readonly<Record<string, string | undefined>> = process.env): ReplayLimits {
  const read = (key: keyof ReplayLimits): number => {
    const { env: name, default: fallback, min } = REPLAY_LIMIT_SETTINGS[key];
    const text = env[name]?.trim();
    if (!text) return fallback;
    const n = Number(text);
    if (!Number.isSafeInteger(n) || n < min) throw new Error(`${name} must be a whole number of ${min} or more; got "${text}"`);
    return n;
  };
  return { maxBatches: read("maxBatches"), maxBytes: read("maxBytes"), timeLimitMs: read("timeLimitMs") };
}
