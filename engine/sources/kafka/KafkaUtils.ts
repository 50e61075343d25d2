import type { DStream } from "../../dstream/DStream";
import type { StreamingContext } from "../../streaming/StreamingContext";
import { KafkaInputDStream } from "./KafkaInputDStream";
import type { KafkaReceiverOptions } from "./KafkaReceiver";

/** Options of `KafkaUtils.createStream` beyond its positional arguments. */
export type CreateStreamOptions = Omit<KafkaReceiverOptions, "brokers" | "groupId" | "topics">;

/**
 * Spark's KafkaUtils for this engine (kept out of StreamingContext so that the core does not
 * load kafkajs).
 *
 * Spark's receiver API took a ZooKeeper quorum (`"localhost:2181"`), where old consumers found
 * brokers and stored offsets. Modern clients talk to the brokers only and Kafka 4 has no
 * ZooKeeper, so the first argument is now the bootstrap brokers (`"localhost:9092"`); the group
 * id is unchanged and offsets are committed to the broker; `Map(topic -> threads)` becomes the
 * topic names, parallelism coming from the topic's partitions.
 */
export const KafkaUtils = {
  /**
   * `KafkaUtils.createStream(ssc, brokers, groupId, topics)`: a pair stream of `[key, value]`
   * (key null when the message has none), as the article uses it (`kafkaStream.map(_._2)`).
   */
  createStream(
    ssc: StreamingContext,
    brokers: string | readonly string[],
    groupId: string,
    topics: string | readonly string[] | Readonly<Record<string, number>>,
    options: CreateStreamOptions = {},
  ): DStream<[string | null, string | null]> {
    return new KafkaInputDStream(ssc, { ...options, brokers, groupId, topics }).map((r): [string | null, string | null] => [r.key, r.value]);
  },

  /**
   * Full records {key, value, topic, partition, offset, timestamp}, like Spark's
   * `createDirectStream` gives ConsumerRecords. (Records still come through a receiver in a
   * consumer group; batches carry their offset ranges in the batch's input metadata.)
   */
  createDirectStream(ssc: StreamingContext, options: KafkaReceiverOptions): KafkaInputDStream {
    return new KafkaInputDStream(ssc, options);
  },
};
