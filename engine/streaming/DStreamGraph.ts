import type { AnyDStream } from "../dstream/DStream";
import type { InputDStream } from "../dstream/InputDStream";
import type { Duration } from "./Duration";
import { IllegalArgumentException, require } from "./errors";
import type { Job } from "./Job";
import type { Time } from "./Time";

/**
 * The *what* of a streaming application (Spark's DStreamGraph): its input and output streams,
 * the zero time, and per-batch job generation and metadata cleanup over the outputs.
 */
export class DStreamGraph {
  batchDuration!: Duration;
  zeroTime: Time | undefined;
  startTime: Time | undefined;
  rememberDuration: Duration | undefined;
  private readonly inputStreams: InputDStream<unknown>[] = [];
  private readonly outputStreams: AnyDStream[] = [];
  private readonly streams = new Map<string, AnyDStream>();
  private streamCounter = 0;

  /** Registers a new stream and returns its default id (`stream-<n>`, by construction order). */
  addStream(stream: AnyDStream): string {
    let id: string;
    do id = `stream-${this.streamCounter++}`;
    while (this.streams.has(id));
    this.streams.set(id, stream);
    return id;
  }
  /** Moves a stream to a new id; ids must stay unique within a graph. */
  renameStream(oldId: string, newId: string): void {
    if (oldId === newId) return;
    const other = this.streams.get(newId);
    if (other !== undefined) throw new IllegalArgumentException(`Stream id "${newId}" is already used by ${other}`);
    const stream = this.streams.get(oldId);
    this.streams.delete(oldId);
    if (stream !== undefined) this.streams.set(newId, stream);
  }
  /** Every stream of the graph, by id. */
  getStreams(): ReadonlyMap<string, AnyDStream> {
    return this.streams;
  }
  getStream(id: string): AnyDStream | undefined {
    return this.streams.get(id);
  }

  /** Adds an input stream; returns its numeric input id. */
  addInputStream(stream: InputDStream<unknown>): number {
    this.inputStreams.push(stream);
    return this.inputStreams.length - 1;
  }
  addOutputStream(stream: AnyDStream): void {
    this.outputStreams.push(stream);
  }
  getInputStreams(): readonly InputDStream<unknown>[] {
    return this.inputStreams;
  }
  getOutputStreams(): readonly AnyDStream[] {
    return this.outputStreams;
  }

  /** Spark's `ssc.remember`: can be set once. */
  remember(duration: Duration): void {
    require(this.rememberDuration === undefined, () => `Remember duration already set as ${this.rememberDuration}. Cannot set it again.`);
    this.rememberDuration = duration;
  }

  /** Checks made by `ssc.start()` before anything runs. */
  validate(): void {
    require(this.batchDuration !== undefined, "Batch duration has not been set");
    require(this.outputStreams.length > 0, "No output operations registered, so nothing to execute");
  }

  /** Initializes every stream at `zeroTime`, spreads remember durations, validates. */
  start(zeroTime: Time): void {
    this.zeroTime = zeroTime;
    this.startTime = zeroTime;
    for (const s of this.outputStreams) s.initialize(zeroTime);
    for (const s of this.outputStreams) s.remember(this.rememberDuration);
    for (const s of this.outputStreams) s.validateAtStart();
  }

  /** One job per output operation that has an RDD at `time`, in registration order. */
  generateJobs(time: Time): Job[] {
    const jobs: Job[] = [];
    this.outputStreams.forEach((s, i) => {
      const job = s.generateJob(time);
      if (job !== undefined) {
        job.outputOpId = i;
        jobs.push(job);
      }
    });
    return jobs;
  }

  /** Materializes RDDs marked for checkpointing at `time`, cutting their lineage. */
  doCheckpoint(time: Time): void {
    for (const s of this.streams.values()) s.generatedRDDs.get(time.milliseconds)?.doCheckpoint();
  }
  clearMetadata(time: Time): void {
    for (const s of this.outputStreams) s.clearMetadata(time);
  }
  updateCheckpointData(time: Time): void {
    for (const s of this.outputStreams) s.updateCheckpointData(time);
  }
  restoreCheckpointData(): void {
    for (const s of this.outputStreams) s.restoreCheckpointData();
  }
  /** The longest remember duration among inputs (received blocks are kept that long). */
  getMaxInputStreamRememberDuration(): Duration | undefined {
    let max: Duration | undefined;
    for (const s of this.inputStreams) if (s.rememberDuration && (!max || s.rememberDuration.greater(max))) max = s.rememberDuration;
    return max;
  }
}
