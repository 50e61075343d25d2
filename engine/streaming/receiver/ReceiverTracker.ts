import type { ReceiverInputDStream } from "../../dstream/ReceiverInputDStream";
import type { StreamingContext } from "../StreamingContext";
import type { Time } from "../Time";
import { RateController } from "../rate/RateController";
import { createRateEstimator } from "../rate/RateEstimator";
import { RateLimiter } from "../rate/RateLimiter";
import { ThrottledIntake } from "../rate/ThrottledIntake";
import { ReceivedBlockTracker } from "./ReceivedBlockTracker";
import type { ReceivedBlock, Receiver, ReceiverSupervisor, StoreOptions } from "./Receiver";

interface Running {
  readonly stream: ReceiverInputDStream<unknown>;
  readonly receiver: Receiver<unknown>;
  readonly blocks: ReceivedBlockTracker<unknown>;
  /** Present when a maximum rate or backpressure applies to the stream. */
  readonly limiter: RateLimiter | undefined;
  /** Holds what exceeds the rate, for receivers that do not limit themselves. */
  readonly intake: ThrottledIntake<unknown> | undefined;
  readonly controller: RateController | undefined;
  stopped: boolean;
}

/** Where one receiver stream's rate stands (for dashboards): records/s and records held back. */
export interface ReceiverRateStatus {
  readonly streamId: string;
  readonly receiverName: string;
  /** Records/s allowed now; null when nothing limits the stream. */
  readonly rate: number | null;
  /** The source's fixed maximum (records/s), if any. */
  readonly maxRate: number | null;
  readonly backpressure: boolean;
  /** The rate controller's latest estimate (records/s), null before the first one. */
  readonly estimatedRate: number | null;
  /**
   * Input waiting for a batch: records received but not yet taken by a batch, those the limit
   * holds back, and those a self-limiting source (Kafka) knows to wait at the source.
   */
  readonly waiting: number;
}

/**
 * Starts the receivers of every receiver input stream, routes their records into per-stream
 * block trackers, and allocates blocks to batches (Spark's ReceiverTracker). Receivers run on
 * the same event loop as jobs; "in parallel" here means between and during asynchronous jobs.
 */
export class ReceiverTracker {
  private readonly running = new Map<number, Running>();

  constructor(private readonly ssc: StreamingContext) {}

  /** Starts every receiver; errors in `onStart` are reported as receiver errors. */
  start(): void {
    for (const input of this.ssc.graph.getInputStreams()) {
      if (!isReceiverStream(input)) continue;
      const stream = input;
      const receiver = stream.receiver();
      const batchMs = this.ssc.graph.batchDuration.milliseconds;
      const blocks = new ReceivedBlockTracker<unknown>(batchMs);
      const { limiter, controller } = this.rateControlFor(stream.id, receiver, batchMs);
      const intake =
        limiter !== undefined && !receiver.limitsOwnRate
          ? new ThrottledIntake<unknown>(limiter, batchMs, this.ssc.clock, (records, timeMs, metadata) => blocks.add(records, timeMs, metadata))
          : undefined;
      if (controller !== undefined) this.ssc.listenerBus.add(controller);
      const r: Running = { stream, receiver, blocks, limiter, intake, controller, stopped: false };
      this.running.set(stream.inputId, r);
      receiver.attachSupervisor(this.supervisorFor(r));
      this.post(r, "receiverStarted");
      this.guard(r, "Error starting receiver", () => receiver.onStart());
    }
  }

  /**
   * A limiter when the source has a maximum rate (its own, else the context's
   * spark.streaming.receiver.maxRate) or backpressure is on, with a rate controller in the latter
   * case (Spark's ReceiverRateController, which sends each estimate to the receiver).
   */
  private rateControlFor(streamId: string, receiver: Receiver<unknown>, batchMs: number): { limiter?: RateLimiter; controller?: RateController } {
    const maxRate = receiver.maxRate ?? this.ssc.receiverMaxRate;
    const bp = this.ssc.backpressure;
    if (maxRate === undefined && !bp?.enabled) return {};
    const limiter = new RateLimiter(maxRate, bp?.enabled ? bp.initialRate : undefined);
    if (!bp?.enabled) return { limiter };
    const controller = new RateController(streamId, createRateEstimator(bp, batchMs), (rate) => limiter.updateRate(rate));
    return { limiter, controller };
  }

  /** The rate of every receiver stream now: allowed records/s, estimate, records held back. */
  rateStatus(): ReceiverRateStatus[] {
    return [...this.running.values()].map((r) => ({
      streamId: r.stream.id,
      receiverName: r.receiver.name,
      rate: r.limiter?.limited ? r.limiter.rate : null,
      maxRate: r.limiter?.maxRate ?? null,
      backpressure: r.controller !== undefined,
      estimatedRate: r.controller && r.controller.getLatestRate() >= 0 ? r.controller.getLatestRate() : null,
      waiting: r.blocks.unallocatedRecords() + (r.intake?.waiting ?? 0) + (r.receiver.waitingRecords?.() ?? 0),
    }));
  }

  private supervisorFor(r: Running): ReceiverSupervisor<unknown> {
    const clock = this.ssc.clock;
    return {
      clock,
      streamId: r.stream.id,
      rateLimiter: r.limiter,
      heldBack: () => r.intake?.waiting ?? 0,
      pushRecords: (records: readonly unknown[], options: StoreOptions | undefined) => {
        const timeMs = options?.timeMs ?? clock.getTimeMillis();
        if (r.intake !== undefined) r.intake.push(records, timeMs, options?.metadata);
        else r.blocks.add(records, timeMs, options?.metadata);
      },
      reportError: (message, error) => this.post(r, "receiverError", message, error),
      requestStop: (message, error) => void this.stopOne(r, message, error),
    };
  }

  private guard(r: Running, message: string, f: () => void | Promise<void>): Promise<void> {
    try {
      const p = f();
      if (p instanceof Promise) return p.catch((e: unknown) => this.post(r, "receiverError", message, e));
    } catch (e) {
      this.post(r, "receiverError", message, e);
    }
    return Promise.resolve();
  }

  private async stopOne(r: Running, message: string, error?: unknown): Promise<void> {
    if (r.stopped) return;
    r.stopped = true;
    r.receiver.markStopped();
    r.intake?.clear();
    if (r.controller !== undefined) this.ssc.listenerBus.remove(r.controller);
    await this.guard(r, "Error stopping receiver", () => r.receiver.onStop());
    this.post(r, "receiverStopped", message, error);
  }

  /** Stops every receiver (waiting for asynchronous `onStop`s). */
  async stop(): Promise<void> {
    await Promise.all([...this.running.values()].map((r) => this.stopOne(r, "Stopped by the streaming context")));
  }

  allocateBlocksToBatch(time: Time): void {
    for (const r of this.running.values()) r.blocks.allocateBlocksToBatch(time.milliseconds);
  }
  getBlocksOfBatch(time: Time, inputId: number): readonly ReceivedBlock<unknown>[] {
    return this.running.get(inputId)?.blocks.getBlocksOfBatch(time.milliseconds) ?? [];
  }
  hasUnallocatedBlocks(): boolean {
    for (const r of this.running.values()) if (r.blocks.hasUnallocatedBlocks()) return true;
    return false;
  }
  cleanupOldBlocks(threshold: Time): void {
    for (const r of this.running.values()) r.blocks.cleanupOldBatches(threshold.milliseconds);
  }
  /** Tells receivers that want to know (Kafka) that `time` completed, with its blocks. */
  async onBatchCompleted(time: Time): Promise<void> {
    for (const r of this.running.values()) {
      const hook = r.receiver.onBatchCompleted;
      if (hook !== undefined) {
        const blocks = r.blocks.getBlocksOfBatch(time.milliseconds);
        await this.guard(r, `Error in onBatchCompleted for batch ${time}`, () => hook.call(r.receiver, time, blocks));
      }
    }
  }

  private post(r: Running, type: "receiverStarted" | "receiverStopped" | "receiverError", message?: string, error?: unknown): void {
    const bus = this.ssc.listenerBus;
    if (!bus.hasListeners) {
      if (type === "receiverError") console.error(`Receiver ${r.receiver.name} [${r.stream.id}]: ${message}`, error);
      return;
    }
    bus.post({ type, streamId: r.stream.id, receiverName: r.receiver.name, timeMs: this.ssc.clock.getTimeMillis(), message, error });
  }
}

function isReceiverStream(s: unknown): s is ReceiverInputDStream<unknown> {
  return typeof (s as { getReceiver?: unknown }).getReceiver === "function";
}
