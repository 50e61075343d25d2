import type { StreamingContext } from "../streaming/StreamingContext";
import type { Time } from "../streaming/Time";
import { RDD } from "../rdd/RDD";
import type { ReceivedBlock, Receiver } from "../streaming/receiver/Receiver";
import { InputDStream } from "./InputDStream";

/**
 * An input stream fed by a Receiver (Spark's ReceiverInputDStream). Each batch's RDD holds the
 * blocks allocated to that batch, one partition per block, and the batch's input info.
 */
export abstract class ReceiverInputDStream<T> extends InputDStream<T> {
  private receiverInstance: Receiver<T> | undefined;

  /** Makes the receiver to run; called once. */
  abstract getReceiver(): Receiver<T>;

  /** The receiver of this stream (made on first use). */
  receiver(): Receiver<T> {
    return (this.receiverInstance ??= this.getReceiver());
  }

  compute(validTime: Time): RDD<T> {
    const blocks = this.ssc.scheduler.receiverTracker.getBlocksOfBatch(validTime, this.inputId) as readonly ReceivedBlock<T>[];
    let numRecords = 0;
    for (const b of blocks) numRecords += b.records.length;
    const metadata = this.receiver().summarizeBlocks?.(blocks) ?? { blocks: blocks.length };
    this.ssc.scheduler.inputInfoTracker.reportInfo(validTime, { inputStreamId: this.inputId, streamId: this.id, numRecords, metadata });
    return RDD.fromPartitions(this.ssc.sparkContext, blocks.map((b) => b.records));
  }

  override getSourcePosition(): unknown {
    return this.receiver().getSourcePosition?.();
  }
  override restoreSourcePosition(position: unknown): void {
    this.receiver().restoreSourcePosition?.(position);
  }
}

/** `ssc.receiverStream(receiver)`: a receiver input stream around a given receiver. */
export class PluggableInputDStream<T> extends ReceiverInputDStream<T> {
  constructor(
    ssc: StreamingContext,
    private readonly givenReceiver: Receiver<T>,
  ) {
    super(ssc);
    this.name = givenReceiver.name;
  }
  getReceiver(): Receiver<T> {
    return this.givenReceiver;
  }
}
