import { Duration } from "./Duration";

/**
 * A point in time in milliseconds on the context's clock (Spark's `Time`); batch times are
 * multiples of the batch duration. Browser-safe. Prints as `"<ms> ms"`.
 */
export class Time {
  constructor(readonly milliseconds: number) {
    if (!Number.isFinite(milliseconds)) throw new RangeError(`Time must be a finite number of ms, got ${milliseconds}`);
  }
  plus(d: Duration): Time { return new Time(this.milliseconds + d.milliseconds); }
  minus(d: Duration): Time { return new Time(this.milliseconds - d.milliseconds); }
  /** The duration between two times (Scala's `Time - Time`). */
  since(that: Time): Duration { return new Duration(this.milliseconds - that.milliseconds); }
  less(that: Time): boolean { return this.milliseconds < that.milliseconds; }
  lessEq(that: Time): boolean { return this.milliseconds <= that.milliseconds; }
  greater(that: Time): boolean { return this.milliseconds > that.milliseconds; }
  greaterEq(that: Time): boolean { return this.milliseconds >= that.milliseconds; }
  equals(that: Time | undefined): boolean { return that !== undefined && this.milliseconds === that.milliseconds; }
  isMultipleOf(d: Duration): boolean { return this.milliseconds % d.milliseconds === 0; }
  /** Rounds down onto the grid `zeroTime + k * d` (Scala's Long division truncates toward zero). */
  floor(d: Duration, zeroTime: Time = new Time(0)): Time {
    const t = d.milliseconds;
    return new Time(Math.trunc((this.milliseconds - zeroTime.milliseconds) / t) * t + zeroTime.milliseconds);
  }
  /** Times from this one up to `end`, both included, every `step`. */
  to(end: Time, step: Duration): Time[] {
    const out: Time[] = [];
    for (let t = this.milliseconds; t <= end.milliseconds; t += step.milliseconds) out.push(new Time(t));
    return out;
  }
  /** Times from this one up to `end` excluded, every `step`. */
  until(end: Time, step: Duration): Time[] {
    const out: Time[] = [];
    for (let t = this.milliseconds; t < end.milliseconds; t += step.milliseconds) out.push(new Time(t));
    return out;
  }
  toString(): string { return `${this.milliseconds} ms`; }
}

/** A closed interval of batch times `[beginTime, endTime]` (Spark's `Interval`). */
export class Interval {
  constructor(readonly beginTime: Time, readonly endTime: Time) {}
  /** The interval shifted back by `d`. */
  minus(d: Duration): Interval { return new Interval(this.beginTime.minus(d), this.endTime.minus(d)); }
  toString(): string { return `[${this.beginTime}, ${this.endTime}]`; }
}
