import { z } from "zod";
import { defineNode } from "./types";
import { intField, listField, textField } from "./fields";

const streamOut = [{ name: "out", type: "plain" }] as const;

/** A receiver's own maximum rate (spark.streaming.receiver.maxRate for this source). */
const maxRateField = (what: string) =>
  z
    .number()
    .finite()
    .positive("must be more than 0 records per second")
    .optional()
    .meta({
      description: `spark.streaming.receiver.maxRate for this source: at most this many ${what} per second enter batches; more wait for later batches (empty: the pipeline's setting, else no limit).`,
    });

/** The article's example data: the numbers 1..10, one per batch (`oneAtATime`). */
const DEFAULT_BATCHES = [[1], [2], [3], [4], [5], [6], [7], [8], [9], [10]];

export const queueSource = defineNode({
  kind: "queue",
  category: "Sources",
  label: "Queue",
  doc: "ssc.queueStream(queue, oneAtATime): each batch takes the next list of records from a queue of sample data; with oneAtATime off, the first batch takes the whole queue.",
  inputs: [],
  outputs: streamOut,
  config: z.object({
    batches: z
      .array(z.array(z.unknown()))
      .default(DEFAULT_BATCHES)
      .meta({ widget: "json", description: "A JSON array of batches, each an array of records, e.g. [[1,2],[3]]." }),
    oneAtATime: z.boolean().default(true).meta({ description: "Take one list per batch (true) or everything in the first batch (false)." }),
  }),
  compile: ({ config, builder }) => ({ out: builder.queueStream(config.batches, config.oneAtATime) }),
});

export const transactionGeneratorSource = defineNode({
  kind: "transactionGenerator",
  category: "Sources",
  label: "Transaction generator",
  doc: "The article's KafkaTransactionProducer built in: CSV lines `id,MM/dd/yyyy,account,amount,description`. Deterministic mode sends 101 lines at growing delays; random mode goes on forever.",
  inputs: [],
  outputs: streamOut,
  config: z.object({
    mode: z.enum(["deterministic", "random"]).default("deterministic").meta({ description: "deterministic: the article's fixed lines; random: random accounts and amounts." }),
    timeScale: z.number().positive("must be positive").max(1000).default(1).meta({ description: "Speed-up: the producer's delays are divided by it (10 sends ten times faster)." }),
    seed: z.number().int().optional().meta({ description: "Seed of random mode, for repeatable runs." }),
    maxRate: maxRateField("transactions"),
  }),
  compile: ({ config, builder }) => ({ out: builder.transactionGenerator(config) }),
});

export const textFilesSource = defineNode({
  kind: "textFiles",
  category: "Sources",
  label: "Text files",
  doc: "ssc.textFileStream(directory): every new file that appears in the directory becomes lines of the next batch.",
  inputs: [],
  outputs: streamOut,
  config: z.object({ directory: textField("data/input", "Directory watched for new files (relative to the server's working directory).") }),
  compile: ({ config, builder }) => ({ out: builder.textFileStream(config.directory) }),
});

export const kafkaSource = defineNode({
  kind: "kafka",
  category: "Sources",
  label: "Kafka",
  doc: "KafkaUtils.createDirectStream: the values of the topic's messages, as strings.",
  inputs: [],
  outputs: streamOut,
  config: z.object({
    brokers: listField(["localhost:9092"], "Bootstrap brokers, comma-separated host:port."),
    topic: textField("transactions", "Topic to read."),
    groupId: textField("transactions-group", "Consumer group id."),
    maxRecordsPerBatch: intField(10_000, "Upper bound of records taken in one batch.", 1, 1_000_000),
    maxRatePerPartition: z
      .number()
      .finite()
      .positive("must be more than 0 records per second")
      .optional()
      .meta({
        description:
          "spark.streaming.kafka.maxRatePerPartition: at most this many records per second from each partition (a batch takes rate × batch seconds, at least 1); the rest wait in Kafka. Empty: no limit.",
      }),
  }),
  compile: ({ config, builder }) => ({ out: builder.kafkaStream(config) }),
});

export const socketTextSource = defineNode({
  kind: "socketText",
  category: "Sources",
  label: "Socket text",
  doc: "ssc.socketTextStream(host, port): lines of text (UTF-8, one record per line) read from a TCP server, e.g. `nc -lk 9999`. While nothing listens there the run shows that it waits, and connects again every 2 s.",
  inputs: [],
  outputs: streamOut,
  config: z.object({
    host: z
      .string()
      .trim()
      .min(1, "must not be empty")
      .regex(/^[A-Za-z0-9.:_-]+$/, "must be a host name or address such as localhost or 127.0.0.1")
      .default("localhost")
      .meta({ description: "Host of the TCP server to read lines from." }),
    port: intField(9999, "Port of the TCP server.", 1, 65535),
    maxRate: maxRateField("lines"),
  }),
  compile: ({ config, builder }) => ({ out: builder.socketTextStream(config.host, config.port, config.maxRate) }),
});
