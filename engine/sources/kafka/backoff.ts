/** Delay before reconnect attempt `attempt` (1-based): doubling from `initialMs`, capped at `maxMs`. */
export function backoffDelayMs(attempt: number, initialMs = 500, maxMs = 10_000): number {
  return Math.min(maxMs, initialMs * 2 ** Math.max(0, Math.min(attempt - 1, 30)));
}

/** A sleep that `wake()` ends early (used to stop a receiver that waits to reconnect). */
export class Sleeper {
  private pending = new Set<() => void>();

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.pending.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.pending.add(done);
    });
  }
  wakeAll(): void {
    for (const done of [...this.pending]) done();
  }
}
