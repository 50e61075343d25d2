import type { CompileEnvironment } from "../../pipeline/compile";
import { kafkaSink } from "../../sinks/kafkaSink";
import { KafkaUtils } from "./KafkaUtils";
import type { StartingOffsets } from "./KafkaRecord";

/**
 * The `kafka` entry of a pipeline's compile environment: the designer's Kafka source node reads
 * message values as strings (a tombstone's null value becomes ""), its Kafka sink node writes
 * records with the sink's defaults (strings as they are, other records as JSON).
 */
export function kafkaPipelineEnvironment(defaults: { startingOffsets?: StartingOffsets; clientId?: string } = {}): NonNullable<CompileEnvironment["kafka"]> {
  return {
    stream(ssc, options) {
      // The node's config travels with the options; maxRecordsPerBatch is one of its fields.
      const max = (options as { maxRecordsPerBatch?: unknown }).maxRecordsPerBatch;
      const rpp = (options as { maxRatePerPartition?: unknown }).maxRatePerPartition;
      return KafkaUtils.createDirectStream(ssc, {
        brokers: options.brokers,
        topics: options.topic,
        groupId: options.groupId,
        startingOffsets: defaults.startingOffsets ?? "earliest",
        clientId: defaults.clientId ?? `dstream-studio-${options.nodeId}`,
        maxRecordsPerBatch: typeof max === "number" ? max : undefined,
        maxRatePerPartition: typeof rpp === "number" ? rpp : undefined,
      }).map((r) => r.value ?? "");
    },
    sink(stream, options) {
      kafkaSink(stream, { brokers: options.brokers, topic: options.topic, clientId: `dstream-studio-${options.nodeId}` });
    },
  };
}
