import type { Clock } from "./Clock";
import type { Duration } from "./Duration";
import type { Time } from "./Time";

interface Scheduled {
  readonly timeMs: number;
  readonly seq: number;
  readonly callback: () => void;
  cancelled: boolean;
}

/**
 * A clock that moves only when told to (Spark's ManualClock), for tests and replays.
 * `advance` walks through every scheduled callback in time order, setting the time to each
 * callback's due time before running it, so that a receiver stamping records and the job
 * generator allocating them see the same order of events a real clock would give.
 * Pair it with `StreamingContext.awaitBatchesDue()` to wait for the batches it made due.
 */
export class ManualClock implements Clock {
  private now: number;
  private seq = 0;
  private queue: Scheduled[] = [];

  /** Starts at `startMs` ms (0 by default). */
  constructor(startMs = 0) {
    this.now = startMs;
  }

  getTimeMillis(): number {
    return this.now;
  }

  schedule(timeMs: number, callback: () => void): () => void {
    const item: Scheduled = { timeMs, seq: this.seq++, callback, cancelled: false };
    // Keep the queue sorted by (time, seq) so ties run in scheduling order.
    let lo = 0;
    let hi = this.queue.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const q = this.queue[mid];
      if (q.timeMs < timeMs || (q.timeMs === timeMs && q.seq < item.seq)) lo = mid + 1;
      else hi = mid;
    }
    this.queue.splice(lo, 0, item);
    if (timeMs <= this.now) this.runDue(this.now);
    return () => {
      item.cancelled = true;
    };
  }

  /** Moves the clock forward by `d`, running every callback that falls due on the way. */
  advance(d: Duration): void {
    this.setTime(this.now + d.milliseconds);
  }

  /** Sets the clock to `t` (never backwards past due callbacks), running what falls due. */
  setTime(t: Time | number): void {
    const target = typeof t === "number" ? t : t.milliseconds;
    this.runDue(target);
    this.now = target;
  }

  private running = false;
  private runDue(target: number): void {
    if (this.running) return; // a callback that schedules more work is picked up by the outer loop
    this.running = true;
    try {
      while (this.queue.length > 0 && this.queue[0].timeMs <= target) {
        const item = this.queue.shift()!;
        if (item.cancelled) continue;
        this.now = Math.max(this.now, item.timeMs);
        item.callback();
      }
    } finally {
      this.running = false;
    }
  }
}
