import type { StreamingEvent } from "@/engine/streaming/events";

/** The events the engine posts for one ordinary batch, with the given per-stream counts. */
export function batchEvents(
  t: number,
  opts: { records?: number; sched?: number; proc?: number; failed?: boolean; streams?: Record<string, unknown[]> } = {},
): StreamingEvent[] {
  const records = opts.records ?? 0;
  const sched = opts.sched ?? 2;
  const proc = opts.proc ?? 10;
  const inputSize = { "source:out": records };
  const streamEvents: StreamingEvent[] = Object.entries(opts.streams ?? {}).map(([streamId, sample]) => ({
    type: "streamRecords",
    batchTimeMs: t,
    streamId,
    streamName: `${streamId.split(":")[0]}DStream`,
    count: sample.length,
    complete: true,
    sample,
  }));
  return [
    { type: "batchSubmitted", batchTimeMs: t, submissionTimeMs: t, inputSize, inputInfo: [], numOutputOps: 1 },
    { type: "batchStarted", batchTimeMs: t, processingStartTimeMs: t + sched, schedulingDelayMs: sched },
    ...streamEvents,
    {
      type: "batchCompleted",
      batchTimeMs: t,
      inputSize,
      numRecords: records,
      schedulingDelayMs: sched,
      processingTimeMs: proc,
      totalDelayMs: sched + proc,
      numOutputOps: 1,
      numFailedOutputOps: opts.failed ? 1 : 0,
    },
  ];
}
