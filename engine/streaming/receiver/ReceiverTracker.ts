import type { ReceiverInputDStream } from "../../dstream/ReceiverInputDStream";
import type { StreamingContext } from "../StreamingContext";
import type { Time } from "../Time";
import { ReceivedBlockTracker } from "./ReceivedBlockTracker";
import type { ReceivedBlock, Receiver, ReceiverSupervisor, StoreOptions } from "./Receiver";

interface Running {
  readonly stream: ReceiverInputDStream<unknown>;
  readonly receiver: Receiver<unknown>;
  readonly blocks: ReceivedBlockTracker<unknown>;
  stopped: boolean;
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
      const r: Running = { stream, receiver, blocks: new ReceivedBlockTracker(this.ssc.graph.batchDuration.milliseconds), stopped: false };
      this.running.set(stream.inputId, r);
      receiver.attachSupervisor(this.supervisorFor(r));
      this.post(r, "receiverStarted");
      this.guard(r, "Error starting receiver", () => receiver.onStart());
    }
  }

  private supervisorFor(r: Running): ReceiverSupervisor<unknown> {
    const clock = this.ssc.clock;
    return {
      clock,
      streamId: r.stream.id,
      pushRecords: (records: readonly unknown[], options: StoreOptions | undefined) =>
        r.blocks.add(records, options?.timeMs ?? clock.getTimeMillis(), options?.metadata),
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
