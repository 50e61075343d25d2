/** At most 10 renders per second per run, whatever the frame rate. */
export const MIN_RENDER_INTERVAL_MS = 100;

export interface Timers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: Timers = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/**
 * Coalesces change notifications into at most one call of `fn` per `intervalMs`: the first
 * change after a quiet spell runs at once, later ones within the interval run once at its end,
 * so the last change is always shown.
 */
export class RenderThrottle {
  private last = -Infinity;
  private pending: unknown = undefined;

  constructor(
    private readonly fn: () => void,
    private readonly intervalMs = MIN_RENDER_INTERVAL_MS,
    private readonly timers: Timers = realTimers,
  ) {}

  schedule(): void {
    if (this.pending !== undefined) return;
    const wait = this.last + this.intervalMs - this.timers.now();
    if (wait <= 0) {
      this.run();
      return;
    }
    this.pending = this.timers.setTimeout(() => {
      this.pending = undefined;
      this.run();
    }, wait);
  }

  cancel(): void {
    if (this.pending !== undefined) this.timers.clearTimeout(this.pending);
    this.pending = undefined;
  }

  private run(): void {
    this.last = this.timers.now();
    this.fn();
  }
}
