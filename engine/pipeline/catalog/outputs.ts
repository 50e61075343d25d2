import { z } from "zod";
import { defineNode } from "./types";
import { intField, listField, textField } from "./fields";

const inAny = [{ name: "in", type: "plain", required: true }] as const;

export const printNode = defineNode({
  kind: "print",
  category: "Outputs",
  label: "Print",
  doc: "stream.print(num): the first num records of every batch, under a `Time: <t> ms` header, on the dashboard console.",
  inputs: inAny,
  outputs: [],
  isOutput: true,
  config: z.object({ num: intField(10, "Records printed per batch.", 1, 1000) }),
  compile: ({ config, input, builder }) => {
    builder.print(input(), config.num);
    return {};
  },
});

export const chartTapNode = defineNode({
  kind: "chartTap",
  category: "Outputs",
  label: "Chart tap",
  doc: "foreachRDD into a dashboard chart: plots a numeric field (or the record itself, or the value of pairs) per batch.",
  inputs: inAny,
  outputs: [],
  isOutput: true,
  config: z.object({
    label: textField("values", "Name of the series on the dashboard."),
    valueField: z.string().trim().default("").meta({ description: "Numeric field to plot; empty: the record, or the value of a pair." }),
  }),
  compile: ({ config, input, builder }) => {
    builder.chartTap(input(), { label: config.label, valueField: config.valueField || undefined });
    return {};
  },
});

export const deadLettersNode = defineNode({
  kind: "deadLetters",
  category: "Outputs",
  label: "Dead letters",
  doc: "foreachRDD into the dashboard's dead-letter list: wire a dead-letter port here to keep unparsable records in view.",
  inputs: inAny,
  outputs: [],
  isOutput: true,
  config: z.object({}),
  compile: ({ input, builder }) => {
    builder.deadLetters(input());
    return {};
  },
});

const fileFields = {
  prefix: textField("data/output/batch", "Path prefix; each batch writes <prefix>-<time ms>.<suffix>."),
  suffix: textField("txt", "File suffix."),
};

export const saveAsTextFilesNode = defineNode({
  kind: "saveAsTextFiles",
  category: "Outputs",
  label: "Text files",
  doc: "stream.saveAsTextFiles(prefix, suffix): one file per batch, a record per line.",
  inputs: inAny,
  outputs: [],
  isOutput: true,
  config: z.object(fileFields),
  compile: ({ config, input, builder }) => {
    builder.saveAsTextFiles(input(), config.prefix, config.suffix);
    return {};
  },
});

export const saveAsObjectFilesNode = defineNode({
  kind: "saveAsObjectFiles",
  category: "Outputs",
  label: "Object files",
  doc: "stream.saveAsObjectFiles(prefix, suffix): one file per batch of serialized records (JSON lines).",
  inputs: inAny,
  outputs: [],
  isOutput: true,
  config: z.object({ ...fileFields, suffix: textField("jsonl", "File suffix.") }),
  compile: ({ config, input, builder }) => {
    builder.saveAsObjectFiles(input(), config.prefix, config.suffix);
    return {};
  },
});

export const databaseTableNode = defineNode({
  kind: "databaseTable",
  category: "Outputs",
  label: "Database table",
  doc: "foreachRDD writing every record as a row of a table of the app's database (records must be objects).",
  inputs: inAny,
  outputs: [],
  isOutput: true,
  config: z.object({ table: textField("results", "Table (dataset) to append to.") }),
  compile: ({ config, input, builder }) => {
    builder.writeTable(input(), config.table);
    return {};
  },
});

export const cassandraTableNode = defineNode({
  kind: "cassandraTable",
  category: "Outputs",
  label: "Cassandra table",
  doc: "foreachRDD writing every record (an object whose fields are columns) as a row of a Cassandra table: an upsert by primary key, so a batch written again after recovery leaves the same rows.",
  inputs: inAny,
  outputs: [],
  isOutput: true,
  config: z.object({
    contactPoints: listField(["localhost:9042"], "Contact points, comma-separated host:port."),
    localDataCenter: textField("datacenter1", "The local data center of the driver."),
    keyspace: textField("finances", "Keyspace of the table."),
    table: textField("account_aggregates", "Table to write (it must exist; each record gives its primary key)."),
  }),
  compile: ({ config, input, builder }) => {
    builder.cassandraOutput(input(), config);
    return {};
  },
});

export const kafkaSinkNode = defineNode({
  kind: "kafkaSink",
  category: "Outputs",
  label: "Kafka",
  doc: "foreachRDD producing every record to a Kafka topic (strings as they are, other records as JSON).",
  inputs: inAny,
  outputs: [],
  isOutput: true,
  config: z.object({
    brokers: listField(["localhost:9092"], "Bootstrap brokers, comma-separated host:port."),
    topic: textField("flagged", "Topic to write."),
  }),
  compile: ({ config, input, builder }) => {
    builder.kafkaSink(input(), config);
    return {};
  },
});
