/**
 * A span of time in whole milliseconds (Spark's `Duration`). Browser-safe: no Node imports.
 * Prints as `"<ms> ms"`, exactly as Spark does, because error messages embed it.
 */
export class Duration {
  constructor(readonly milliseconds: number) {
    if (!Number.isFinite(milliseconds)) throw new RangeError(`Duration must be a finite number of ms, got ${milliseconds}`);
  }
  plus(that: Duration): Duration { return new Duration(this.milliseconds + that.milliseconds); }
  minus(that: Duration): Duration { return new Duration(this.milliseconds - that.milliseconds); }
  /** This duration multiplied by a whole factor. */
  times(factor: number): Duration { return new Duration(this.milliseconds * factor); }
  /** The ratio of two durations (a plain number, like Scala's `Duration / Duration`). */
  div(that: Duration): number { return this.milliseconds / that.milliseconds; }
  /** `millis % that.millis == 0`, as Spark defines it. */
  isMultipleOf(that: Duration): boolean { return this.milliseconds % that.milliseconds === 0; }
  less(that: Duration): boolean { return this.milliseconds < that.milliseconds; }
  lessEq(that: Duration): boolean { return this.milliseconds <= that.milliseconds; }
  greater(that: Duration): boolean { return this.milliseconds > that.milliseconds; }
  greaterEq(that: Duration): boolean { return this.milliseconds >= that.milliseconds; }
  equals(that: Duration | undefined): boolean { return that !== undefined && this.milliseconds === that.milliseconds; }
  isZero(): boolean { return this.milliseconds === 0; }
  toString(): string { return `${this.milliseconds} ms`; }
}

/** A duration of `ms` milliseconds. */
export const Milliseconds = (ms: number): Duration => new Duration(ms);
/** A duration of `s` seconds. */
export const Seconds = (s: number): Duration => new Duration(s * 1000);
/** A duration of `m` minutes. */
export const Minutes = (m: number): Duration => new Duration(m * 60_000);
