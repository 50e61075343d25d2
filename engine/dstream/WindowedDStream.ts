import type { Duration } from "../streaming/Duration";
import { Interval, type Time } from "../streaming/Time";
import { RDD } from "../rdd/RDD";
import { StorageLevel } from "../rdd/StorageLevel";
import { DStream, type AnyDStream } from "./DStream";

/** The message Spark's WindowedDStream throws for a window or slide off the parent's grid. */
function notMultiple(what: "window" | "slide", d: Duration, parent: AnyDStream): Error {
  return new Error(
    `The ${what} duration of windowed DStream (${d}) must be a multiple of the slide duration of parent DStream (${parent.slideDuration}) [parent: ${parent}]`,
  );
}

/**
 * `window(w, s)`: every `s`, the union of the parent's batches in the last `w`.
 *
 *   parent batches:   b1   b2   b3   b4   b5   b6        (1 s each)
 *   window 4 s, slide 2 s, output at t = 2, 4, 6:
 *   t=2: (t-4, 2] -> b1 b2          (the first windows are partial)
 *   t=4: (0, 4]   -> b1 b2 b3 b4
 *   t=6: (2, 6]   -> b3 b4 b5 b6
 *
 * The window at t covers parent times in [t - w + parentSlide, t], both ends included.
 */
export class WindowedDStream<T> extends DStream<T> {
  constructor(
    readonly parent: DStream<T>,
    readonly windowDuration: Duration,
    private readonly slide: Duration,
  ) {
    super(parent.ssc);
    if (!windowDuration.isMultipleOf(parent.slideDuration)) throw notMultiple("window", windowDuration, parent);
    if (!slide.isMultipleOf(parent.slideDuration)) throw notMultiple("slide", slide, parent);
    // The parent's RDDs are read by several windows: keep them (Spark persists the parent too).
    parent.persist(StorageLevel.MEMORY_ONLY_SER);
  }

  get dependencies(): readonly AnyDStream[] {
    return [this.parent];
  }
  get slideDuration(): Duration {
    return this.slide;
  }
  protected override get parentRememberDuration(): Duration | undefined {
    return this.rememberDuration?.plus(this.windowDuration);
  }
  /** Persisting a window persists its parent instead: the window's RDDs are unions of the parent's. */
  override persist(level: StorageLevel = StorageLevel.MEMORY_ONLY_SER): this {
    this.parent.persist(level);
    return this;
  }

  compute(validTime: Time): RDD<T> {
    const window = new Interval(validTime.minus(this.windowDuration).plus(this.parent.slideDuration), validTime);
    if (this.ssc.listenerBus.hasListeners) this.postWindowEvent(validTime, window);
    return RDD.unionAll(this.ssc.sparkContext, this.parent.slice(window));
  }

  private postWindowEvent(time: Time, window: Interval): void {
    this.ssc.listenerBus.post({
      type: "window",
      batchTimeMs: time.milliseconds,
      streamId: this.id,
      streamName: this.name,
      windowStartMs: time.milliseconds - this.windowDuration.milliseconds,
      windowEndMs: time.milliseconds,
      windowDurationMs: this.windowDuration.milliseconds,
      slideDurationMs: this.slide.milliseconds,
      coveredTimesMs: this.parent.sliceTimes(window.beginTime, window.endTime).filter((t) => this.parent.isTimeValid(t)).map((t) => t.milliseconds),
    });
  }
}
