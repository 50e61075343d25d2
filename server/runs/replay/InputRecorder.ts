import type { DStream } from "../../../engine/dstream/DStream";
import type { RDD } from "../../../engine/rdd/RDD";
import type { Time } from "../../../engine/streaming/Time";

/** One recorded batch as the run process sends it: records per source node id, as JSON text. */
export interface RecordedBatchMessage {
  batchTimeMs: number;
  payload: string;
}

/**
 * The run process's side of recording: takes each source stream's records per batch as the
 * stream computes them, and hands a batch over once it has completed, while the run's first
 * batches stay within the caps (batches and bytes). The first batch past a cap ends the
 * recording for good, so that what is kept is consecutive from the run's first batch.
 */
export class InputRecorder {
  private readonly pending = new Map<number, Record<string, unknown[]>>();
  private batches = 0;
  private bytes = 0;
  private ended: string | undefined;

  constructor(
    private readonly limits: { maxBatches: number; maxBytes: number },
    private readonly send: (batch: RecordedBatchMessage) => void,
    private readonly onEnd: (reason: string) => void,
  ) {
    if (limits.maxBatches === 0) this.ended = "recording is off (RECORD_MAX_BATCHES=0)";
  }

  /** Records what the source node's output stream computes in each batch. */
  tap(nodeId: string, stream: DStream<unknown>): void {
    if (this.ended) return;
    const compute = stream.compute.bind(stream);
    // The stream's own compute stays in charge; its RDD (a source's: blocks, a queue, Kafka's
    // fetched records) is read once more here, without user code.
    stream.compute = (time: Time): RDD<unknown> | undefined => {
      const rdd = compute(time);
      if (rdd !== undefined && !this.ended) {
        const inputs = this.pending.get(time.milliseconds) ?? {};
        inputs[nodeId] = rdd.collect();
        this.pending.set(time.milliseconds, inputs);
      }
      return rdd;
    };
  }

  /** A batch completed: send its records if the caps allow, else end the recording. */
  batchCompleted(batchTimeMs: number): void {
    const inputs = this.pending.get(batchTimeMs);
    this.pending.delete(batchTimeMs);
    if (this.ended) return;
    const payload = JSON.stringify(inputs ?? {});
    const size = Buffer.byteLength(payload, "utf8");
    if (this.batches + 1 > this.limits.maxBatches) return this.end(`the recording holds the run's first ${this.batches} batches (RECORD_MAX_BATCHES=${this.limits.maxBatches})`);
    if (this.bytes + size > this.limits.maxBytes) {
      return this.end(`the recording holds the run's first ${this.batches} batches: batch ${batchTimeMs} ms would pass RECORD_MAX_BYTES=${this.limits.maxBytes}`);
    }
    this.batches++;
    this.bytes += size;
    this.send({ batchTimeMs, payload });
  }

  private end(reason: string): void {
    this.ended = reason;
    this.pending.clear();
    this.onEnd(reason);
  }
}
