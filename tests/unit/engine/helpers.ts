import { ManualClock, Seconds, StreamingContext, type StreamingContextOptions, type StreamingEvent } from "../../../engine/index";

/** A context on a manual clock at 0 with 1 s batches; `events` collects every event. */
export function manualContext(options: StreamingContextOptions = {}) {
  const clock = new ManualClock(0);
  const ssc = new StreamingContext(Seconds(1), { clock, ...options });
  const events: StreamingEvent[] = [];
  return { ssc, clock, events, listen: () => ssc.addStreamingListener((e) => events.push(e)) };
}

/** Advances the clock by `n` batches of 1 s, waiting for each batch to complete. */
export async function runBatches(ssc: StreamingContext, clock: ManualClock, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    clock.advance(Seconds(1));
    await ssc.awaitBatchesDue();
  }
}
