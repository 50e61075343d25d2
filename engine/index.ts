/**
 * The engine's public API, in Spark Streaming's names. A Spark user translates line by line:
 *   val ssc = new StreamingContext(sc, Seconds(1))  ->  const ssc = new StreamingContext(Seconds(1))
 *   stream.map(...).reduceByKeyAndWindow(_ + _, _ - _, Seconds(10), Seconds(2))  -> the same, with arrow functions
 * Pair records are `[key, value]` tuples; an absent outer-join side is `undefined`.
 */
export { StreamingContext, StreamingContextState } from "./streaming/StreamingContext";
export type { StreamingContextOptions, QueueStreamOptions, StopOptions } from "./streaming/StreamingContext";
export { Duration, Milliseconds, Seconds, Minutes } from "./streaming/Duration";
export { Time, Interval } from "./streaming/Time";
export { SystemClock } from "./streaming/Clock";
export type { Clock } from "./streaming/Clock";
export { ManualClock } from "./streaming/ManualClock";
export {
  SparkException,
  IllegalStateException,
  IllegalArgumentException,
  UnsupportedOperationException,
  NoSuchElementException,
  StreamOperationError,
} from "./streaming/errors";
export type * from "./streaming/events";
export type { StreamingListener } from "./streaming/StreamingListener";
export type { BatchHooks, RestartPoint } from "./streaming/JobGenerator";
export { Job } from "./streaming/Job";

export { DStream } from "./dstream/DStream";
export { InputDStream } from "./dstream/InputDStream";
export { ReceiverInputDStream } from "./dstream/ReceiverInputDStream";
export { ForEachDStream } from "./dstream/ForEachDStream";
export { WindowedDStream } from "./dstream/WindowedDStream";
export { ReducedWindowedDStream } from "./dstream/ReducedWindowedDStream";
export type { PartitionSpec } from "./dstream/operations/pair";
export { Receiver } from "./streaming/receiver/Receiver";
export type { StoreOptions, ReceivedBlock } from "./streaming/receiver/Receiver";

export { RDD } from "./rdd/RDD";
export { SparkContext } from "./rdd/SparkContext";
export { StorageLevel } from "./rdd/StorageLevel";
export { HashPartitioner } from "./rdd/Partitioner";
export type { Partitioner } from "./rdd/Partitioner";
export { RangePartitioner } from "./rdd/RangePartitioner";
export { naturalOrdering } from "./rdd/Ordering";
export type { Ordering } from "./rdd/Ordering";

export { TransactionGeneratorReceiver } from "./sources/TransactionGeneratorReceiver";
export type { TransactionGeneratorOptions } from "./sources/TransactionGeneratorReceiver";
export { SocketTextReceiver } from "./sources/SocketTextReceiver";
export type { SocketTextOptions } from "./sources/SocketTextReceiver";
export type { PrintSink } from "./sinks/print";
export { formatRecord } from "./sinks/format";
export { rddToFileName, readObjectFile } from "./sinks/files";

// State across batches: updateStateByKey (StateDStream) and mapWithState (StateSpec, State).
export { StateSpec } from "./state/StateSpec";
export type { MappingFunction, MappingFunctionWithTime } from "./state/StateSpec";
export type { State } from "./state/State";
export { StateMap } from "./state/StateMap";
export type { StateEntry } from "./state/StateMap";
export { StateDStream } from "./dstream/StateDStream";
export type { StateUpdateInput } from "./dstream/StateDStream";
export { MapWithStateDStream } from "./dstream/MapWithStateDStream";
export type { UpdateFunc, UpdateFuncWithTime, UpdateIteratorFunc } from "./dstream/operations/state";

// Checkpoints and recovery (StreamingContext.getOrCreate).
export { CHECKPOINT_FORMAT_VERSION } from "./checkpoint/Checkpoint";
export type { Checkpoint, CheckpointStreamData } from "./checkpoint/Checkpoint";
export { CorruptCheckpointException } from "./checkpoint/serializer";
export type { CheckpointDamage } from "./checkpoint/serializer";
export { CheckpointReadException, readLatestCheckpoint, readCheckpointFile, listCheckpointFiles, searchCheckpoints } from "./checkpoint/CheckpointReader";
export type { CheckpointSearch, ReadCheckpoint } from "./checkpoint/CheckpointReader";
export { CheckpointMismatchException, describeSkipped, recoverNewestUsable } from "./checkpoint/recovery";
export type { RecoveryOutcome } from "./checkpoint/recovery";
export type { CreatingFunction, GetOrCreateOptions, RecoveredCheckpointInfo } from "./checkpoint/recovery";

// Kafka: KafkaUtils.createStream / createDirectStream (kafkajs receiver), the Kafka sink, dead letters.
export { KafkaUtils } from "./sources/kafka/KafkaUtils";
export type { CreateStreamOptions } from "./sources/kafka/KafkaUtils";
export { KafkaInputDStream } from "./sources/kafka/KafkaInputDStream";
export { KafkaReceiver } from "./sources/kafka/KafkaReceiver";
export type { KafkaReceiverOptions, KafkaReceiverStatus } from "./sources/kafka/KafkaReceiver";
export { parseBrokers, parseTopics, DEFAULT_BROKERS } from "./sources/kafka/KafkaRecord";
export type { KafkaRecord, OffsetRange, StartingOffsets, KafkaSourcePosition } from "./sources/kafka/KafkaRecord";
export { parseWithDeadLetters, Left, Right } from "./sources/kafka/deadLetters";
export type { Parsed, DeadLetter } from "./sources/kafka/deadLetters";
export { kafkaPipelineEnvironment } from "./sources/kafka/pipelineEnvironment";
export { kafkaSink, defaultKafkaValue } from "./sinks/kafkaSink";
export type { KafkaSinkOptions } from "./sinks/kafkaSink";
