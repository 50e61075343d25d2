/** A source of time in milliseconds that can run a callback once a given time is reached. */
export interface Clock {
  /** The current time, in ms. */
  getTimeMillis(): number;
  /** Runs `callback` once the clock reaches `timeMs` (ms); returns a function that cancels it. */
  schedule(timeMs: number, callback: () => void): () => void;
}

/** Wall-clock time (`Date.now()`), timers via `setTimeout`. The default clock. */
export class SystemClock implements Clock {
  getTimeMillis(): number {
    return Date.now();
  }
  schedule(timeMs: number, callback: () => void): () => void {
    let handle: ReturnType<typeof setTimeout> | undefined;
    const arm = (): void => {
      const delay = timeMs - Date.now();
      // Timers may fire a little early; re-arm rather than run before the due time.
      if (delay <= 0) callback();
      else handle = setTimeout(arm, delay);
    };
    handle = setTimeout(arm, Math.max(0, timeMs - Date.now()));
    return () => clearTimeout(handle);
  }
}
