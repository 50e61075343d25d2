import type { JobScheduler } from "./JobScheduler";
import type { StreamingContext } from "./StreamingContext";
import { Time } from "./Time";

/**
 * Hooks around each batch, for durability (Engine II's checkpoints) and monitoring.
 * `onJobsGenerated` runs right after a batch's jobs are generated (Spark writes a metadata
 * checkpoint there); `onBatchCompleted` after all its outputs ran and old metadata was cleared
 * (Spark's DoCheckpoint with clearCheckpointDataLater). Async hooks are awaited in batch order.
 */
export interface BatchHooks {
  onJobsGenerated?(time: Time): void;
  /**
   * Runs synchronously as soon as the batch's last job finished, before any later batch's job
   * can run: the place to capture the batch's state (a later batch may change it in place).
   */
  onBatchJobsCompleted?(time: Time): void;
  onBatchCompleted?(time: Time): void | Promise<void>;
}

/**
 * Work a batch needs done before its jobs are generated, e.g. reading a lookup table from a
 * database. Spark runs such a read inside job generation (in `transform`), blocking the generator;
 * here generation of that batch, and of every later one, waits for the promise, so batches keep
 * their order. `undefined`: nothing to wait for (generation stays synchronous). The signal aborts
 * when the context stops, for preparations that wait on something that may never come back.
 */
export type BatchPreparer = (time: Time, signal: AbortSignal) => Promise<void> | undefined;

/** Where to resume from, taken from a checkpoint (Spark's JobGenerator.restart). */
export interface RestartPoint {
  /** The zero time of the original run. */
  readonly zeroTime: Time;
  /** The batch time of the checkpoint. */
  readonly checkpointTime: Time;
  /** Batches that were generated but not completed when the checkpoint was written. */
  readonly pendingTimes: readonly Time[];
}

/**
 * Generates one job set per batch interval (Spark's JobGenerator): a recurring timer on the
 * context's clock allocates received blocks and asks the graph for jobs at every batch time.
 */
export class JobGenerator {
  private cancelTimer: (() => void) | undefined;
  private nextBatchMs = 0;
  private readonly hooks: BatchHooks[] = [];
  private readonly preparers: BatchPreparer[] = [];
  /** The generation of batches waiting for their preparation, in order; undefined when none waits. */
  private waiting: Promise<void> | undefined;
  private readonly stopping = new AbortController();
  private graceful = false;
  /** Set before start to resume from a checkpoint. */
  restartPoint: RestartPoint | undefined;
  lastGeneratedMs: number | undefined;

  constructor(
    private readonly ssc: StreamingContext,
    private readonly scheduler: JobScheduler,
  ) {}

  addHooks(hooks: BatchHooks): void {
    this.hooks.push(hooks);
  }
  /** Settles when the batches now waiting for their preparation are generated; undefined when none waits. */
  get waitingGeneration(): Promise<void> | undefined {
    return this.waiting;
  }
  addPreparer(preparer: BatchPreparer): void {
    this.preparers.push(preparer);
  }

  private get batchMs(): number {
    return this.ssc.graph.batchDuration.milliseconds;
  }

  start(): void {
    if (this.restartPoint !== undefined) this.restart(this.restartPoint);
    else this.startFirstTime();
  }

  /** The first batch is the first grid time strictly after now; zeroTime is one batch before. */
  private startFirstTime(): void {
    const b = this.batchMs;
    const first = (Math.floor(this.ssc.clock.getTimeMillis() / b) + 1) * b;
    this.ssc.graph.start(new Time(first - b));
    this.scheduleFrom(first);
  }

  /** Re-runs the batches missed since the checkpoint, then resumes the timer on the old grid. */
  private restart(r: RestartPoint): void {
    const b = this.batchMs;
    const zero = r.zeroTime.milliseconds;
    this.ssc.graph.start(r.zeroTime);
    const now = this.ssc.clock.getTimeMillis();
    const restartMs = Math.floor((now - zero) / b) * b + b + zero;
    const times = new Set<number>(r.pendingTimes.map((t) => t.milliseconds));
    for (let t = r.checkpointTime.milliseconds + b; t < restartMs; t += b) times.add(t);
    for (const t of [...times].filter((t) => t < restartMs).sort((x, y) => x - y)) this.generateInOrder(new Time(t));
    this.scheduleFrom(restartMs);
  }

  private scheduleFrom(timeMs: number): void {
    this.nextBatchMs = timeMs;
    this.cancelTimer = this.ssc.clock.schedule(timeMs, () => {
      this.cancelTimer = undefined;
      this.generateInOrder(new Time(timeMs));
      this.scheduleFrom(timeMs + this.batchMs);
    });
  }

  /** The preparations batch `time` waits for; a preparer that throws is reported, not waited for. */
  private prepare(time: Time): Promise<void>[] {
    const waits: Promise<void>[] = [];
    for (const p of this.preparers) {
      try {
        const wait = p(time, this.stopping.signal);
        if (wait) waits.push(wait.catch((e: unknown) => this.scheduler.reportError(`Error preparing batch ${time}`, e, time.milliseconds)));
      } catch (e) {
        this.scheduler.reportError(`Error preparing batch ${time}`, e, time.milliseconds);
      }
    }
    return waits;
  }

  /** Generates batch `time` now, or once its preparations (and earlier waiting batches) are done. */
  private generateInOrder(time: Time): void {
    const generate = () => {
      if (!this.stopping.signal.aborted || this.graceful) this.generateJobs(time);
    };
    let next: Promise<void>;
    if (this.waiting === undefined) {
      const waits = this.prepare(time);
      if (waits.length === 0) return this.generateJobs(time);
      next = Promise.all(waits).then(generate);
    } else {
      next = this.waiting.then(() => Promise.all(this.prepare(time))).then(generate);
    }
    this.waiting = next;
    void next.finally(() => {
      if (this.waiting === next) this.waiting = undefined;
    });
  }
  /** Allocates blocks, generates the jobs of every output and submits them as one batch. */
  generateJobs(time: Time): void {
    this.lastGeneratedMs = time.milliseconds;
    const scheduler = this.scheduler;
    try {
      scheduler.receiverTracker.allocateBlocksToBatch(time);
      scheduler.beginGeneration(time);
      const jobs = this.ssc.graph.generateJobs(time);
      const observer = scheduler.endGeneration();
      scheduler.submitJobSet(time, jobs, scheduler.inputInfoTracker.getInfo(time), observer);
    } catch (e) {
      scheduler.endGeneration();
      scheduler.reportError(`Error generating jobs for time ${time}`, e, time.milliseconds);
    }
    for (const h of this.hooks) h.onJobsGenerated?.(time);
  }

  /** @internal Called by the scheduler when the last job of batch `time` finished. */
  notifyJobsCompleted(time: Time): void {
    for (const h of this.hooks) {
      try {
        h.onBatchJobsCompleted?.(time);
      } catch (e) {
        this.scheduler.reportError(`Error after the jobs of batch ${time}`, e, time.milliseconds);
      }
    }
  }

  /** After a batch: tell sources, cut checkpointed lineage, forget old RDDs, run hooks. */
  async onBatchCompletion(time: Time): Promise<void> {
    for (const input of this.ssc.graph.getInputStreams()) await input.onBatchCompleted(time);
    await this.scheduler.receiverTracker.onBatchCompleted(time);
    const graph = this.ssc.graph;
    graph.doCheckpoint(time);
    graph.clearMetadata(time);
    const keep = graph.getMaxInputStreamRememberDuration();
    if (keep !== undefined) {
      this.scheduler.receiverTracker.cleanupOldBlocks(time.minus(keep));
      this.scheduler.inputInfoTracker.cleanup(time.minus(keep));
    }
    graph.updateCheckpointData(time);
    for (const h of this.hooks) await h.onBatchCompleted?.(time);
  }

  /**
   * Stops the timer. Gracefully, batches are generated at once for records already received
   * (receivers are stopped first), rather than waiting for the clock to reach their times.
   */
  async stop(stopGracefully: boolean): Promise<void> {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    this.graceful = stopGracefully;
    // Preparations still waiting (a database that is down) give up; batches waiting behind them
    // are generated only when stopping gracefully.
    this.stopping.abort();
    if (!stopGracefully) return;
    await this.waiting;
    for (let i = 0; i < 1000 && this.scheduler.receiverTracker.hasUnallocatedBlocks(); i++) {
      this.generateInOrder(new Time(this.nextBatchMs));
      this.nextBatchMs += this.batchMs;
    }
    await this.waiting;
  }
}
