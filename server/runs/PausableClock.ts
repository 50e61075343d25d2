import type { Clock } from "../../engine/streaming/Clock";

interface Scheduled {
  readonly timeMs: number;
  readonly callback: () => void;
  timer?: ReturnType<typeof setTimeout>;
  done: boolean;
}

/**
 * The clock of a run started from the UI: wall-clock time that can be paused, resumed and
 * stepped. While paused, engine time stands still, so no batch falls due and the built-in
 * generator sends nothing; `step` moves engine time to a given instant (the next batch time)
 * and runs what falls due on the way. On resume, engine time goes on from where it stood,
 * lagging the wall clock by the time spent paused.
 */
export class PausableClock implements Clock {
  /** Engine time = wall time - lag (ms). */
  private lagMs = 0;
  private pausedAtEngineMs: number | null = null;
  private readonly pending = new Set<Scheduled>();

  constructor(private readonly wallMs: () => number = Date.now) {}

  get paused(): boolean {
    return this.pausedAtEngineMs !== null;
  }

  getTimeMillis(): number {
    return this.pausedAtEngineMs ?? this.wallMs() - this.lagMs;
  }

  schedule(timeMs: number, callback: () => void): () => void {
    const item: Scheduled = { timeMs, callback, done: false };
    this.pending.add(item);
    if (!this.paused) this.arm(item);
    return () => this.finish(item);
  }

  /** Freezes engine time; scheduled callbacks wait. */
  pause(): void {
    if (this.paused) return;
    this.pausedAtEngineMs = this.getTimeMillis();
    for (const item of this.pending) if (item.timer) clearTimeout(item.timer);
  }

  /** Lets engine time run again from where it stood. */
  resume(): void {
    if (this.pausedAtEngineMs === null) return;
    this.lagMs = this.wallMs() - this.pausedAtEngineMs;
    this.pausedAtEngineMs = null;
    for (const item of this.pending) this.arm(item);
  }

  /** While paused: moves engine time forward to `timeMs`, running what falls due, in time order. */
  stepTo(timeMs: number): void {
    if (this.pausedAtEngineMs === null) throw new Error("step is possible only while the run is paused");
    if (timeMs < this.pausedAtEngineMs) return;
    for (;;) {
      let next: Scheduled | undefined;
      for (const item of this.pending) if (item.timeMs <= timeMs && (!next || item.timeMs < next.timeMs)) next = item;
      if (!next) break;
      this.pausedAtEngineMs = Math.max(this.pausedAtEngineMs, next.timeMs);
      this.finish(next);
      next.callback();
    }
    this.pausedAtEngineMs = timeMs;
  }

  private arm(item: Scheduled): void {
    const fire = (): void => {
      if (item.done || this.paused) return;
      const delay = item.timeMs - this.getTimeMillis();
      if (delay > 0) {
        item.timer = setTimeout(fire, delay);
        return;
      }
      this.finish(item);
      item.callback();
    };
    item.timer = setTimeout(fire, Math.max(0, item.timeMs - this.getTimeMillis()));
  }

  private finish(item: Scheduled): void {
    item.done = true;
    if (item.timer) clearTimeout(item.timer);
    this.pending.delete(item);
  }
}
