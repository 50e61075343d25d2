// `npm run produce` (scripts/produce.ts) as a child process against the test broker:
// the article's 101 deterministic transactions, exact delivery at a fixed rate, seeded
// random runs, stopping on Enter, and argument errors.
import { spawn } from "node:child_process";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Kafka } from "kafkajs";
import { kafkaBootstrap, readTopic, testKafka, topicRecordCount, uniqueTopic, waitFor } from "./setup/kafka";

const root = path.resolve(import.meta.dirname, "..", "..");
const tsx = path.join(root, "node_modules", "tsx", "dist", "cli.mjs");
const script = path.join(root, "scripts", "produce.ts");

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the producer to completion; `onStdout` may write to its stdin (e.g. press Enter). */
function produce(
  args: string[],
  options: { stdin?: "ignore" | "pipe"; onStdout?: (soFar: string, write: (s: string) => void) => void } = {},
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [tsx, script, ...args], {
      cwd: root,
      stdio: [options.stdin ?? "ignore", "pipe", "pipe"],
    });
    if (!child.stdout || !child.stderr) throw new Error("the producer's output is not piped");
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
      options.onStdout?.(stdout, (s) => child.stdin?.write(s));
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

const sentLines = (stdout: string) =>
  stdout
    .split("\n")
    .filter((l) => l.startsWith("Sent -> "))
    .map((l) => l.slice("Sent -> ".length));

// The article's lists, written out here rather than imported, so the test checks the producer.
const ACCOUNTS = ["123-ABC-789", "456-DEF-456", "333-XYZ-999", "987-CBA-321"];
const DESCRIPTIONS = ["Drug Store", "Grocery Store", "Electronics", "Park", "Gas", "Books", "Movies", "Misc"];
const AMOUNTS = ["10.34", "94.65", "2.49", "306.21", "1073.12", "20.0", "7.92", "4322.33"];

const mmddyyyy = (d: Date) =>
  `${String(d.getMonth() + 1).padStart(2, "0")}/${String(d.getDate()).padStart(2, "0")}/${d.getFullYear()}`;

let kafka: Kafka;
beforeAll(() => {
  kafka = testKafka("producer-test");
});

describe("npm run produce", () => {
  it("sends the article's 101 deterministic transactions, printing each as it goes", async () => {
    const topic = uniqueTopic("transactions");
    const before = mmddyyyy(new Date());
    const run = await produce([kafkaBootstrap(), topic, "no", "--time-scale", "0.01"]);
    const after = mmddyyyy(new Date());
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);

    const stdoutLines = run.stdout.trimEnd().split("\n");
    expect(stdoutLines[0]).toBe(">>>Press [ENTER] to shut the producer down");
    expect(stdoutLines.slice(1).every((l) => l.startsWith("Sent -> "))).toBe(true);
    const printed = sentLines(run.stdout);
    expect(printed).toHaveLength(101);

    const records = await readTopic(kafka, topic, 101);
    expect(records.map((r) => r.value)).toEqual(printed);
    expect(records.every((r) => r.key === null)).toBe(true);
    expect(await topicRecordCount(kafka, topic)).toBe(101);

    records.forEach((record, step) => {
      const [id, date, account, amount, description, ...rest] = record.value.split(",");
      expect(rest).toEqual([]);
      expect(id).toBe(String(step));
      expect(date).toMatch(/^\d{2}\/\d{2}\/\d{4}$/);
      expect([before, after]).toContain(date);
      expect(account).toBe(ACCOUNTS[step % 4]);
      expect(amount).toBe(AMOUNTS[step % 8]);
      expect(description).toBe(DESCRIPTIONS[step % 8]);
    });
    expect(records[0].value).toBe(`0,${records[0].value.split(",")[1]},123-ABC-789,10.34,Drug Store`);
    expect(records[100].value.endsWith(",123-ABC-789,1073.12,Gas")).toBe(true);
  });

  it("stops after --count records", async () => {
    const topic = uniqueTopic("counted");
    const run = await produce([kafkaBootstrap(), topic, "no", "--count", "7", "--time-scale", "0.01"]);
    expect(run.code).toBe(0);
    expect(sentLines(run.stdout).map((l) => l.split(",")[0])).toEqual(["0", "1", "2", "3", "4", "5", "6"]);
    expect(await topicRecordCount(kafka, topic)).toBe(7);
  });

  it("delivers exactly --count records at a fixed --rate", async () => {
    const topic = uniqueTopic("rated");
    const run = await produce([kafkaBootstrap(), topic, "no", "--rate", "20000", "--count", "10000"]);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/sent 10000 records/);
    const printed = sentLines(run.stdout);
    expect(printed).toHaveLength(10_000);

    expect(await topicRecordCount(kafka, topic)).toBe(10_000);
    const records = await readTopic(kafka, topic, 10_000);
    expect(records).toHaveLength(10_000);
    expect(records.map((r) => r.value)).toEqual(printed);
    // Past step 100 the deterministic round-robin simply goes on.
    expect(records.map((r) => Number(r.value.split(",")[0]))).toEqual(Array.from({ length: 10_000 }, (_, i) => i));
    expect(records[9_999].value.endsWith(",987-CBA-321,4322.33,Misc")).toBe(true);
  });

  it("repeats a seeded random run", async () => {
    const args = (topic: string) => [
      kafkaBootstrap(),
      topic,
      "yes",
      "--seed",
      "42",
      "--count",
      "20",
      "--time-scale",
      "0",
    ];
    const [one, two] = [await produce(args(uniqueTopic("seeded"))), await produce(args(uniqueTopic("seeded")))];
    expect(one.code).toBe(0);
    expect(two.code).toBe(0);
    const strip = (line: string) => line.replace(/^(\d+),[^,]+,/, "$1,");
    expect(sentLines(one.stdout)).toHaveLength(20);
    expect(sentLines(one.stdout).map(strip)).toEqual(sentLines(two.stdout).map(strip));
    for (const line of sentLines(one.stdout)) {
      const [, , account, amount, description] = line.split(",");
      expect(ACCOUNTS).toContain(account);
      expect(DESCRIPTIONS).toContain(description);
      expect(Number(amount)).toBeGreaterThanOrEqual(0);
      expect(Number(amount)).toBeLessThan(5000);
    }
  });

  it("runs random mode until Enter is pressed", async () => {
    const topic = uniqueTopic("random");
    let pressed = false;
    const run = await produce([kafkaBootstrap(), topic, "yes", "--time-scale", "0.001"], {
      stdin: "pipe",
      onStdout: (soFar, write) => {
        if (!pressed && sentLines(soFar).length >= 5) {
          pressed = true;
          write("\n");
        }
      },
    });
    expect(run.code).toBe(0);
    const printed = sentLines(run.stdout);
    expect(printed.length).toBeGreaterThanOrEqual(5);
    await waitFor(
      async () => (await topicRecordCount(kafka, topic)) === printed.length,
      "every printed record in the topic",
    );
  });

  it("names the bad argument and its value", async () => {
    const bad = await produce([kafkaBootstrap(), "transactions", "maybe"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('RANDOMIZE must be yes or no, got "maybe"');
    const badRate = await produce(["--rate", "fast"]);
    expect(badRate.code).toBe(2);
    expect(badRate.stderr).toContain('--rate must be a positive number of records per second, got "fast"');
  });
});
