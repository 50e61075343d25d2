import { ReceiverInputDStream } from "../../dstream/ReceiverInputDStream";
import type { StreamingContext } from "../../streaming/StreamingContext";
import type { KafkaRecord } from "./KafkaRecord";
import { KafkaReceiver, type KafkaReceiverOptions } from "./KafkaReceiver";

/**
 * The input stream of a Kafka receiver: full records {topic, partition, offset, timestamp, key,
 * value}. It outlives its receiver by a little: when the context stops, the receiver stops
 * fetching first, the remaining batches run and commit, and only then does the stream leave
 * the consumer group.
 */
export class KafkaInputDStream extends ReceiverInputDStream<KafkaRecord> {
  constructor(
    ssc: StreamingContext,
    readonly options: KafkaReceiverOptions,
  ) {
    super(ssc);
    const topics = typeof options.topics === "string" ? options.topics : Array.isArray(options.topics) ? options.topics.join(",") : Object.keys(options.topics).join(",");
    this.name = `Kafka(${topics})`;
    this.receiver(); // validates the options now rather than at start
  }

  getReceiver(): KafkaReceiver {
    return new KafkaReceiver(this.options, this.ssc.batchDuration.milliseconds);
  }
  override receiver(): KafkaReceiver {
    return super.receiver() as KafkaReceiver;
  }

  override async stop(): Promise<void> {
    await this.receiver().close();
  }
}
