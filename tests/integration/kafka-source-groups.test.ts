// Runs of a Kafka pipeline as separate processes (tests/integration/fixtures/kafka-source-run.ts):
// the article's consumer-group rules (one group shares the partitions, each record reaching one
// run; different groups each get every record), and a run killed with SIGKILL and restarted
// from its checkpoint counting every record exactly once in state. Behaviour only.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { pathToFileURL } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Kafka, Producer } from "kafkajs";
import { connectedProducer, createTopic, kafkaBootstrap, testKafka, uniqueTopic } from "./setup/kafka";

const root = path.resolve(import.meta.dirname, "../..");
const tsxLoader = pathToFileURL(path.join(root, "node_modules", "tsx", "dist", "loader.mjs")).href;
const script = path.join(import.meta.dirname, "fixtures", "kafka-source-run.ts");

type Line = Record<string, unknown>;
interface Run {
  readonly lines: Line[];
  waitFor(pred: (l: Line) => boolean, what: string): Promise<Line>;
  /** [partition, offset, value] of every record this run's batches held. */
  records(): [number, number, string][];
  stop(): Promise<void>;
  kill(): Promise<void>;
}

const children: ChildProcess[] = [];
const dirs: string[] = [];
let kafka: Kafka;
let producer: Producer;
beforeAll(async () => {
  kafka = testKafka("kafka-source-groups-test");
  producer = await connectedProducer(kafka);
});
afterAll(async () => {
  await producer?.disconnect();
});
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function startRun(config: { topic: string; groupId: string; checkpointDir?: string; maxRecordsPerBatch?: number }): Run {
  const json = JSON.stringify({ bootstrap: kafkaBootstrap(), batchMs: 100, ...config });
  const child = spawn(process.execPath, ["--import", tsxLoader, script, json], { cwd: root, stdio: ["pipe", "pipe", "pipe"] });
  children.push(child);
  const lines: Line[] = [];
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  const waiters = new Set<() => void>();
  readline.createInterface({ input: child.stdout! }).on("line", (text) => {
    try {
      lines.push(JSON.parse(text) as Line);
    } catch {
      return;
    }
    for (const w of [...waiters]) w();
  });
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  child.on("exit", () => {
    for (const w of [...waiters]) w();
  });
  return {
    lines,
    waitFor: (pred, what) =>
      new Promise((resolve, reject) => {
        // Checked on each line and every 100 ms: a condition may depend on other runs' lines.
        const timer = setInterval(() => check(), 100);
        const check = () => {
          const found = lines.find(pred);
          if (found !== undefined) {
            waiters.delete(check);
            clearInterval(timer);
            resolve(found);
          } else if (child.exitCode !== null || child.signalCode !== null) {
            waiters.delete(check);
            clearInterval(timer);
            reject(new Error(`the run exited before ${what}; stderr:\n${stderr}`));
          }
        };
        waiters.add(check);
        check();
      }),
    records: () => lines.flatMap((l) => (Array.isArray(l.records) ? (l.records as [number, number, string][]) : [])),
    stop: async () => {
      child.stdin!.write("stop\n");
      await exited;
    },
    kill: async () => {
      child.kill("SIGKILL");
      await exited;
    },
  };
}

async function produce(topic: string, values: readonly string[]): Promise<void> {
  for (let i = 0; i < values.length; i += 1000) {
    await producer.send({ topic, messages: values.slice(i, i + 1000).map((value, j) => ({ value, partition: (i + j) % 2 })) });
  }
}
const values = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);
const assignedTo = (topic: string) => (l: Line) => l.status === "consuming" && ((l.assigned as Record<string, number[]>)[topic]?.length ?? 0) === 1;

describe("Kafka consumer groups across runs", () => {
  it("two runs in one group share the partitions; runs in other groups each get every record", async () => {
    const topic = uniqueTopic("groups");
    await createTopic(kafka, topic, 2);
    const shared = uniqueTopic("shared-group");
    const a = startRun({ topic, groupId: shared });
    const b = startRun({ topic, groupId: shared });
    const c = startRun({ topic, groupId: uniqueTopic("own-group-c") });
    const d = startRun({ topic, groupId: uniqueTopic("own-group-d") });
    // Produce once the shared group has settled with one partition per run.
    const [la, lb] = await Promise.all([a.waitFor(assignedTo(topic), "one partition for a"), b.waitFor(assignedTo(topic), "one partition for b")]);
    const pa = (la.assigned as Record<string, number[]>)[topic][0];
    const pb = (lb.assigned as Record<string, number[]>)[topic][0];
    expect(pa).not.toBe(pb);

    const sent = values(400, "g");
    await produce(topic, sent);
    const total = (runs: Run[]) => runs.reduce((n, r) => n + r.records().length, 0);
    await a.waitFor(() => total([a, b]) >= 400, "the shared group to read 400 records");
    await c.waitFor(() => c.records().length >= 400, "group c to read 400 records");
    await d.waitFor(() => d.records().length >= 400, "group d to read 400 records");
    await Promise.all([a, b, c, d].map((r) => r.stop()));

    const inA = a.records().map((r) => r[2]);
    const inB = b.records().map((r) => r[2]);
    expect([...inA, ...inB].sort()).toEqual([...sent].sort());
    expect(inA.filter((v) => inB.includes(v))).toEqual([]);
    expect(a.records().every((r) => r[0] === pa)).toBe(true);
    expect(b.records().every((r) => r[0] === pb)).toBe(true);
    expect(inA).toHaveLength(200);
    for (const own of [c, d]) expect(own.records().map((r) => r[2]).sort()).toEqual([...sent].sort());
  });

  it("a run killed mid-stream and restarted from its checkpoint counts every record exactly once in state", async () => {
    const topic = uniqueTopic("crash");
    await createTopic(kafka, topic, 2);
    const groupId = uniqueTopic("crash-group");
    const checkpointDir = fs.mkdtempSync(path.join(os.tmpdir(), "dstream-kafka-crash-"));
    dirs.push(checkpointDir);
    const sent = values(3000, "c");
    await produce(topic, sent);
    // 100 records per 100 ms batch: the kill lands mid-stream, with offsets committed after
    // every batch running ahead of the checkpoint (taken every third batch).
    const config = { topic, groupId, checkpointDir, maxRecordsPerBatch: 100 };
    const first = startRun(config);
    const stateTotal = (l: Line) => Object.values((l.state ?? {}) as Record<string, number>).reduce((a, b) => a + b, 0);
    await first.waitFor((l) => stateTotal(l) >= 1000, "a third of the records in state");
    await first.kill();
    const before = first.records().length;
    expect(before).toBeLessThan(3000);

    const second = startRun(config);
    await second.waitFor((l) => typeof l.restored === "number", "the restart to recover its checkpoint");
    const done = await second.waitFor((l) => Object.keys((l.state ?? {}) as object).length >= 3000, "every record in state");
    await second.stop();

    const state = done.state as Record<string, number>;
    expect(Object.keys(state).sort()).toEqual([...sent].sort());
    expect(Object.entries(state).filter(([, n]) => n !== 1)).toEqual([]);
    // Outputs are at-least-once: together the two runs' batches saw every record.
    const seen = new Set([...first.records(), ...second.records()].map((r) => r[2]));
    expect(seen.size).toBe(3000);
  });
});
