import { BatchObserver } from "./BatchObserver";
import type { StreamInputInfo } from "./events";
import { InputInfoTracker } from "./InputInfoTracker";
import type { Job } from "./Job";
import { JobGenerator } from "./JobGenerator";
import { ReceiverTracker } from "./receiver/ReceiverTracker";
import type { StreamingContext } from "./StreamingContext";
import type { Time } from "./Time";
import { StreamOperationError } from "./errors";

interface BatchState {
  readonly time: Time;
  readonly numJobs: number;
  pending: number;
  failed: number;
  readonly submissionMs: number;
  processingStartMs: number | undefined;
  readonly inputInfo: readonly StreamInputInfo[];
  readonly observer: BatchObserver | undefined;
}

interface QueuedJob {
  readonly batch: BatchState;
  /** Undefined for a batch without jobs: it still takes its turn so batches complete in order. */
  readonly job: Job | undefined;
}

/**
 * The *when* of execution (Spark's JobScheduler): runs the jobs of each batch in submission
 * order with at most `concurrentJobs` at once, posts batch and output-operation events, and
 * reports failures (they do not stop later batches).
 */
export class JobScheduler {
  readonly receiverTracker: ReceiverTracker;
  readonly inputInfoTracker = new InputInfoTracker();
  readonly jobGenerator: JobGenerator;
  private readonly queue: QueuedJob[] = [];
  private running = 0;
  private readonly batches = new Map<number, BatchState>();
  private afterBatch: Promise<void> = Promise.resolve();
  private idleWaiters: (() => void)[] = [];
  private generating: BatchObserver | undefined;
  private accepting = true;

  constructor(private readonly ssc: StreamingContext) {
    this.receiverTracker = new ReceiverTracker(ssc);
    this.jobGenerator = new JobGenerator(ssc, this);
  }

  /** Starts receivers and the job generator (from a restored time when recovering). */
  start(): void {
    this.accepting = true;
    this.jobGenerator.start();
    this.receiverTracker.start();
  }

  /** Stops generation; gracefully finishes received data and queued jobs, else drops queued jobs. */
  async stop(stopGracefully: boolean): Promise<void> {
    if (stopGracefully) {
      await this.receiverTracker.stop();
      await this.jobGenerator.stop(true);
    } else {
      await this.jobGenerator.stop(false);
      await this.receiverTracker.stop();
      this.accepting = false;
      // Jobs already running cannot be interrupted; queued ones are dropped, as shutdownNow does.
      for (const q of this.queue.splice(0)) this.batches.delete(q.batch.time.milliseconds);
    }
    await this.awaitIdle();
    this.accepting = false;
  }

  /** The observer collecting per-stream counts for the batch being generated (only with listeners). */
  observerFor(time: Time): BatchObserver | undefined {
    return this.generating !== undefined && this.generating.batchTimeMs === time.milliseconds ? this.generating : undefined;
  }
  /** @internal Called by the generator around graph job generation. */
  beginGeneration(time: Time): void {
    this.generating = this.ssc.listenerBus.hasListeners ? new BatchObserver(time.milliseconds, this.ssc.sampleSize) : undefined;
  }
  /** @internal */
  endGeneration(): BatchObserver | undefined {
    const o = this.generating;
    this.generating = undefined;
    return o;
  }

  /** Queues a batch's jobs (in output order) behind earlier batches. */
  submitJobSet(time: Time, jobs: readonly Job[], inputInfo: readonly StreamInputInfo[], observer: BatchObserver | undefined): void {
    if (!this.accepting) return;
    const batch: BatchState = {
      time,
      numJobs: jobs.length,
      pending: Math.max(1, jobs.length),
      failed: 0,
      submissionMs: this.ssc.clock.getTimeMillis(),
      processingStartMs: undefined,
      inputInfo,
      observer,
    };
    this.batches.set(time.milliseconds, batch);
    const bus = this.ssc.listenerBus;
    if (bus.hasListeners) {
      bus.post({
        type: "batchSubmitted",
        batchTimeMs: time.milliseconds,
        submissionTimeMs: batch.submissionMs,
        inputSize: inputSizes(inputInfo),
        inputInfo,
        numOutputOps: jobs.length,
      });
    }
    if (jobs.length === 0) this.queue.push({ batch, job: undefined });
    else for (const job of jobs) this.queue.push({ batch, job });
    this.pump();
  }

  private pump(): void {
    while (this.running < this.ssc.concurrentJobs && this.queue.length > 0) {
      const next = this.queue.shift()!;
      this.running++;
      void this.runJob(next);
    }
  }

  private async runJob({ batch, job }: QueuedJob): Promise<void> {
    const bus = this.ssc.listenerBus;
    const clock = this.ssc.clock;
    const t = batch.time.milliseconds;
    if (batch.processingStartMs === undefined) {
      batch.processingStartMs = clock.getTimeMillis();
      if (bus.hasListeners) {
        bus.post({ type: "batchStarted", batchTimeMs: t, processingStartTimeMs: batch.processingStartMs, schedulingDelayMs: batch.processingStartMs - t });
      }
    }
    if (job !== undefined) {
      const started = clock.getTimeMillis();
      if (bus.hasListeners) {
        bus.post({ type: "outputOperationStarted", batchTimeMs: t, outputOpId: job.outputOpId, streamId: job.streamId, name: job.name, startTimeMs: started });
      }
      let error: unknown;
      let failed = false;
      try {
        await job.run();
      } catch (e) {
        error = e;
        failed = true;
      }
      if (failed) batch.failed++;
      if (bus.hasListeners) {
        bus.post({
          type: "outputOperationCompleted",
          batchTimeMs: t,
          outputOpId: job.outputOpId,
          streamId: job.streamId,
          name: job.name,
          durationMs: clock.getTimeMillis() - started,
          ...(failed ? { error: errorMessage(error), failedStreamId: error instanceof StreamOperationError ? error.streamId : job.streamId } : {}),
        });
      }
      if (failed) this.reportError(`Error running job ${job}`, error, t, job.streamId);
    } else {
      await Promise.resolve(); // keep completion asynchronous, as for batches with jobs
    }
    this.running--;
    if (--batch.pending === 0) this.completeBatch(batch);
    this.pump();
    this.notifyIfIdle();
  }

  private completeBatch(batch: BatchState): void {
    const t = batch.time.milliseconds;
    this.batches.delete(t);
    const bus = this.ssc.listenerBus;
    if (bus.hasListeners) {
      for (const e of batch.observer?.events() ?? []) bus.post(e);
      const end = this.ssc.clock.getTimeMillis();
      const start = batch.processingStartMs ?? end;
      const inputSize = inputSizes(batch.inputInfo);
      bus.post({
        type: "batchCompleted",
        batchTimeMs: t,
        inputSize,
        numRecords: Object.values(inputSize).reduce((a, b) => a + b, 0),
        schedulingDelayMs: start - t,
        processingTimeMs: end - start,
        totalDelayMs: end - t,
        numOutputOps: batch.numJobs,
        numFailedOutputOps: batch.failed,
      });
    }
    this.jobGenerator.notifyJobsCompleted(batch.time);
    // Post-batch work (source commits, cleanup, checkpoint hooks) runs in batch order.
    this.afterBatch = this.afterBatch
      .then(() => this.jobGenerator.onBatchCompletion(batch.time))
      .catch((e: unknown) => this.reportError(`Error after completing batch ${batch.time}`, e, t));
  }

  /** Times (ms) of batches generated but not completed yet, in order. */
  pendingBatchTimes(): number[] {
    return [...this.batches.keys()].sort((a, b) => a - b);
  }

  /** Reports an error: posted as an event and rethrown by `awaitTermination`. */
  reportError(message: string, error: unknown, batchTimeMs?: number, streamId?: string): void {
    const bus = this.ssc.listenerBus;
    const attributed = error instanceof StreamOperationError ? error.streamId : streamId;
    if (bus.hasListeners) bus.post({ type: "error", batchTimeMs, streamId: attributed, message: `${message}: ${errorMessage(error)}`, error });
    this.ssc.notifyError(error);
  }

  private isIdle(): boolean {
    return this.running === 0 && this.queue.length === 0 && this.batches.size === 0;
  }
  private notifyIfIdle(): void {
    if (!this.isIdle()) return;
    void this.afterBatch.then(() => {
      if (!this.isIdle()) return;
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    });
  }

  /** Resolves once every due batch was generated and has completed, post-batch work included. */
  async awaitIdle(): Promise<void> {
    for (;;) {
      const generating = this.jobGenerator.waitingGeneration;
      if (generating !== undefined) {
        await generating; // a batch waits for its preparation (a lookup table being read)
        continue;
      }
      if (this.isIdle()) {
        await this.afterBatch;
        if (this.isIdle() && this.jobGenerator.waitingGeneration === undefined) return;
      } else {
        await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
      }
    }
  }
}

function inputSizes(infos: readonly StreamInputInfo[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const i of infos) out[i.streamId] = i.numRecords;
  return out;
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
