import type { Duration } from "../streaming/Duration";
import type { StreamingContext } from "../streaming/StreamingContext";
import type { Time } from "../streaming/Time";
import { DStream, type AnyDStream } from "./DStream";

/**
 * A stream fed from outside the graph (Spark's InputDStream). Its slide is the batch duration.
 * Sources that track positions (Kafka) override the source hooks; they default to no-ops.
 */
export abstract class InputDStream<T> extends DStream<T> {
  /** Numeric input id, as Spark's `inputStreamId` (order of creation among inputs). */
  readonly inputId: number;
  private lastValidTime: Time | undefined;

  constructor(ssc: StreamingContext) {
    super(ssc);
    this.inputId = ssc.graph.addInputStream(this as InputDStream<unknown>);
  }

  get dependencies(): readonly AnyDStream[] {
    return [];
  }
  get slideDuration(): Duration {
    return this.ssc.graph.batchDuration;
  }

  override isTimeValid(time: Time): boolean {
    if (!super.isTimeValid(time)) return false;
    this.lastValidTime = time;
    return true;
  }

  /** Called when the context starts (after the graph has its zero time). */
  start(): void | Promise<void> {}
  /** Called when the context stops. */
  stop(): void | Promise<void> {}

  /** Called once every output of batch `time` has run (Kafka commits offsets here). */
  onBatchCompleted(_time: Time): void | Promise<void> {}
  /** The source's position, for a checkpoint (e.g. offsets per partition); undefined when none. */
  getSourcePosition(): unknown {
    return undefined;
  }
  /** Resumes from a position taken by `getSourcePosition` (called before `start` on recovery). */
  restoreSourcePosition(_position: unknown): void {}
}
