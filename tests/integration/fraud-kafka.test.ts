// The two fraud templates with their source switched to Kafka, against the test broker: the
// producer (scripts/produce.ts) sends the article's 101 deterministic lines, the template reads the
// topic from the earliest offset, and the flags must be those worked out by hand from the batches
// the transactions landed in (real time decides those, so the test observes them and never asserts
// on timing). Template 2's flags do not depend on batching at all: exactly the twelve 4322.33
// transactions, once each.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, inject, it } from "vitest";
import { kafkaPipelineEnvironment } from "../../engine/index";
import type { SimpleTransaction } from "../../engine/pipeline/catalog/article";
import { compilePipeline, type CompileEnvironment } from "../../engine/pipeline/compile";
import { cassandraPipelineEnvironment } from "../../engine/sources/cassandra/pipelineEnvironment";
import type { PipelineDocument } from "../../engine/pipeline/document";
import type { FraudFlag } from "../../engine/pipeline/fraud";
import {
  ARTICLE_HISTORIC_AVERAGES,
  fraudArticleKafkaCassandraTemplate,
  fraudMapWithStateTemplate,
  fraudUpdateStateByKeyTemplate,
  historicAverageRows,
  HISTORIC_AVERAGES_TABLE,
} from "../../engine/pipeline/samples";
import type { StreamingContext } from "../../engine/streaming/StreamingContext";
import { expectedMapWithStateFlags, expectedUpdateStateByKeyFlags, reduceFlag, sortFlags, type ExpectedFlag, type Tx } from "../unit/pipeline/fraud-expected";
import { createTopic, kafkaBootstrap, testKafka, uniqueTopic, waitFor } from "./setup/kafka";

const root = path.resolve(import.meta.dirname, "..", "..");
const tsx = path.join(root, "node_modules", "tsx", "dist", "cli.mjs");
const script = path.join(root, "scripts", "produce.ts");

/** Smaller than the article's 5 s / 10 s so the test stays short; the arithmetic is the same. */
const BATCH_MS = 500;
const WINDOW = { windowMs: 1000, slideMs: 1000 };

/** `npm run produce -- <bootstrap> <topic> no --time-scale <x> --quiet`, to completion. */
function produce(topic: string, timeScale: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [tsx, script, kafkaBootstrap(), topic, "no", "--time-scale", String(timeScale), "--quiet"], { cwd: root, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr?.setEncoding("utf8").on("data", (c: string) => (stderr += c));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`produce exited with ${code}: ${stderr}`))));
  });
}

/** The template with its generator replaced by a Kafka source, smaller batches and windows, and a tap on the parsed transactions. */
function onKafka(template: PipelineDocument, topic: string): PipelineDocument {
  return {
    ...template,
    settings: { ...template.settings, batchIntervalMs: BATCH_MS },
    nodes: [
      ...template.nodes.map((n) => {
        if (n.id === "transactions") return { ...n, kind: "kafka", config: { brokers: [kafkaBootstrap()], topic, groupId: uniqueTopic("fraud-group") } };
        if (n.id === "window") return { ...n, config: { ...n.config, ...WINDOW } };
        // The article's version reads its historic table from the test setup's Cassandra.
        if (n.kind === "lookupJoin" && n.config.source === "cassandra") return { ...n, config: { ...n.config, contactPoints: [inject("cassandraContactPoint")] } };
        return n;
      }),
      { id: "parsedTap", kind: "deadLetters", position: { x: 0, y: 0 }, config: {} },
    ],
    edges: [...template.edges, { id: "tap", source: "parse", sourcePort: "out", target: "parsedTap", targetPort: "in" }],
  };
}

interface Observed {
  /** batch time → the transactions parsed in it */
  batches: Map<number, Tx[]>;
  flags: Map<number, ExpectedFlag[]>;
  raw: FraudFlag[];
  deadLetters: unknown[];
}

let running: StreamingContext | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

/** Runs the template on the system clock until all 101 transactions were parsed and the window holding the last one has flagged. */
async function runOnKafka(d: PipelineDocument, whileRunning: () => Promise<void> = async () => {}, env: Partial<CompileEnvironment> = {}): Promise<Observed> {
  const o: Observed = { batches: new Map(), flags: new Map(), raw: [], deadLetters: [] };
  let parsed = 0;
  const { ssc } = compilePipeline(d, {
    checkpointDir: fs.mkdtempSync(path.join(os.tmpdir(), "fraud-kafka-cp-")),
    kafka: kafkaPipelineEnvironment({ startingOffsets: "earliest" }),
    readTable: (table) => (table === HISTORIC_AVERAGES_TABLE ? historicAverageRows(ARTICLE_HISTORIC_AVERAGES) : []),
    ...env,
    sinks: {
      deadLetters: (nodeId, records, t) => {
        if (nodeId === "unparsable") o.deadLetters.push(...records);
        if (nodeId !== "parsedTap" || records.length === 0) return;
        const txs = (records as SimpleTransaction[]).map((r) => ({ id: r.id, account: r.account_number, amount: r.amount }));
        o.batches.set(t, txs);
        parsed += txs.length;
      },
      flags: (_nodeId, flags, t) => {
        o.raw.push(...flags);
        o.flags.set(t, sortFlags(flags.map(reduceFlag)));
      },
    },
  });
  running = ssc;
  ssc.start();
  await whileRunning();
  await waitFor(() => parsed >= 101, "101 transactions parsed");
  const lastParsedBatch = Math.max(...o.batches.keys());
  await waitFor(() => [...o.flags.keys()].some((t) => t >= lastParsedBatch), "the window of the last transaction");
  await ssc.stop();
  running = undefined;
  return o;
}

/** The flags sink is called at every window time: the first one is zero time + slide. */
const zeroOf = (o: Observed) => Math.min(...o.flags.keys()) - WINDOW.slideMs;
const lastOf = (o: Observed) => Math.max(...o.flags.keys());

describe("fraud templates on Kafka", () => {
  it("template 1 (updateStateByKey), reading while the producer sends: the flags computed from the batches the lines landed in", async () => {
    const topic = uniqueTopic("fraud-usbk");
    await createTopic(testKafka("fraud-kafka-test"), topic, 1);
    // time scale 0.04: the article's delays x 0.04, about 10 s for the 101 lines, spread over many windows
    const o = await runOnKafka(onKafka(fraudUpdateStateByKeyTemplate, topic), () => produce(topic, 0.04));
    const ids = [...o.batches.values()].flat().map((tx) => tx.id);
    expect(ids.sort((a, b) => a - b)).toEqual(Array.from({ length: 101 }, (_, i) => i));
    const expected = expectedUpdateStateByKeyFlags(o.batches, ARTICLE_HISTORIC_AVERAGES, { ...WINDOW, lastBatchMs: lastOf(o), zeroMs: zeroOf(o) });
    expect(o.flags).toEqual(expected);
    expect(o.raw.length).toBeGreaterThan(0);
    expect(new Set(o.raw.map((f) => f.account))).toEqual(new Set(["987-CBA-321"]));
    expect(o.deadLetters).toEqual([]);
  });

  it("the article's version (Kafka + Cassandra's finances.account_aggregates): the flags computed from the batches, as with the database table", async () => {
    const topic = uniqueTopic("fraud-article");
    await createTopic(testKafka("fraud-kafka-test"), topic, 1);
    const o = await runOnKafka(onKafka(fraudArticleKafkaCassandraTemplate, topic), () => produce(topic, 0.04), { cassandra: cassandraPipelineEnvironment() });
    expect([...o.batches.values()].flat()).toHaveLength(101);
    const expected = expectedUpdateStateByKeyFlags(o.batches, ARTICLE_HISTORIC_AVERAGES, { ...WINDOW, lastBatchMs: lastOf(o), zeroMs: zeroOf(o) });
    expect(o.flags).toEqual(expected);
    expect(new Set(o.raw.map((f) => f.account))).toEqual(new Set(["987-CBA-321"]));
  });

  it("template 2 (mapWithState), from the earliest offset: exactly the twelve 4322.33 transactions, once each", async () => {
    const topic = uniqueTopic("fraud-mws");
    await createTopic(testKafka("fraud-kafka-test"), topic, 1);
    await produce(topic, 0.01);
    const o = await runOnKafka(onKafka(fraudMapWithStateTemplate, topic));
    expect(o.raw.map((f) => f.txIds[0]).sort((a, b) => a - b)).toEqual([7, 15, 23, 31, 39, 47, 55, 63, 71, 79, 87, 95]);
    expect(o.raw.every((f) => f.rule === "amount>4000" && f.amount === 4322.33 && f.account === "987-CBA-321")).toBe(true);
    const { flags } = expectedMapWithStateFlags(o.batches, { ...WINDOW, lastBatchMs: lastOf(o), zeroMs: zeroOf(o) });
    expect(o.flags).toEqual(flags);
  });
});
