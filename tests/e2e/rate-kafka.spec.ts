import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { Kafka, logLevel, type Producer } from "kafkajs";
import { freeBrokerPort, startBroker, stopBroker } from "../../scripts/kafka/broker.mjs";

// Rate control and Kafka on the run dashboard (issue 19): a Kafka source held to
// maxRatePerPartition while a producer outpaces it shows its lag growing, then shrinking once
// the producer stops; a socket burst under backpressure keeps the scheduling delay bounded,
// and a paused run says how much input waits.

test.use({ viewport: { width: 1400, height: 1000 } });
test.describe.configure({ timeout: 420_000 });

const SHOTS = "test-results/screenshots";
let dataDir: string;
let bootstrap: string;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  fs.mkdirSync(SHOTS, { recursive: true });
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "dstream-rate-e2e-"));
  ({ bootstrap } = await startBroker({ port: await freeBrokerPort(), dataDir, partitions: 2, log: () => undefined }));
});

test.afterAll(async () => {
  if (dataDir) {
    await stopBroker({ dataDir, log: () => undefined });
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

const at = { x: 0, y: 0 };
type Batch = { batchTimeMs: number; status: string; numRecords: number; schedulingDelayMs?: number; processingTimeMs?: number };

async function startRun(request: APIRequestContext, document: unknown): Promise<{ pipelineId: string; runId: string }> {
  const created = await request.post("/api/pipelines", { data: document });
  expect(created.status(), await created.text()).toBe(201);
  const { id: pipelineId } = (await created.json()) as { id: string };
  const started = await request.post(`/api/pipelines/${pipelineId}/run`, { data: { action: "start" } });
  expect(started.status(), await started.text()).toBe(201);
  const { runId } = (await started.json()) as { runId: string };
  return { pipelineId, runId };
}

async function batches(request: APIRequestContext, pipelineId: string, runId: string): Promise<Batch[]> {
  const res = await request.get(`/api/pipelines/${pipelineId}/run?runId=${runId}`);
  return res.ok() ? ((await res.json()) as { snapshot: { batches: Batch[] } }).snapshot.batches : [];
}

/** The lag the Kafka panel shows now, summed over its partitions. */
async function panelLag(page: Page): Promise<number> {
  const cells = await page.getByTestId("kafka-lag").allTextContents();
  return cells.reduce((n, t) => n + Number(t.replace(/,/g, "")), 0);
}

test("the Kafka panel shows lag growing while the broker holds unread records, shrinking after", async ({ page, request }) => {
  const topic = "lag-e2e";
  const kafka = new Kafka({ clientId: "rate-e2e", brokers: [bootstrap], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
  await admin.disconnect();
  const producer: Producer = kafka.producer();
  await producer.connect();

  const { pipelineId, runId } = await startRun(request, {
    schemaVersion: 2,
    name: "Kafka lag e2e",
    settings: { batchIntervalMs: 1000, checkpointing: { enabled: false }, concurrentJobs: 1 },
    nodes: [
      { id: "kafka", kind: "kafka", position: at, config: { brokers: [bootstrap], topic, groupId: "lag-e2e-group", maxRatePerPartition: 5 } },
      { id: "len", kind: "map", position: at, config: { fn: "(v) => v.length" } },
      { id: "out", kind: "print", position: at, config: { num: 2 } },
    ],
    edges: [
      { id: "e1", source: "kafka", sourcePort: "out", target: "len", targetPort: "in" },
      { id: "e2", source: "len", sourcePort: "out", target: "out", targetPort: "in" },
    ],
  });
  try {
    await page.goto(`/runs/${runId}`);
    const panel = page.getByTestId("kafka-panel");
    await expect(panel).toBeVisible({ timeout: 30_000 });
    await expect(panel.getByTestId("kafka-partition")).toHaveCount(2, { timeout: 30_000 });

    // A producer outpaces the source (2 partitions x 5 records/s): 100 records a second for 20 s.
    let producing = true;
    const sent = (async () => {
      for (let wave = 0; wave < 20; wave++) {
        const started = Date.now();
        await producer.send({ topic, acks: 1, messages: Array.from({ length: 100 }, (_, i) => ({ partition: i % 2, value: `wave ${wave} record ${i}` })) });
        await new Promise((r) => setTimeout(r, Math.max(0, 1000 - (Date.now() - started))));
      }
      producing = false;
    })();
    // The header says so while the lag grows.
    const header = page.locator("header").filter({ has: page.getByTestId("header-lag") });
    const headerSeen = expect(header)
      .toBeVisible({ timeout: 40_000 })
      .then(() => header.screenshot({ path: `${SHOTS}/run-header-kafka-lag.png` }));
    const series: number[] = [];
    while (producing) {
      series.push(await panelLag(page));
      await page.waitForTimeout(1000);
    }
    await sent;
    series.push(await panelLag(page));
    await headerSeen;
    const peakWhileProducing = Math.max(...series);
    console.log(`Kafka lag while producing (records, about every second): ${series.join(", ")}`);
    expect(peakWhileProducing).toBeGreaterThan(series[0] + 300);
    await panel.screenshot({ path: `${SHOTS}/kafka-panel-lag-growing.png` });

    // The producer stopped: the run reads on at its rate and the lag comes down.
    await expect.poll(() => panelLag(page), { timeout: 60_000 }).toBeLessThan(peakWhileProducing - 40);
    await expect(panel.locator('td[data-trend="shrinking"]').first()).toBeVisible({ timeout: 15_000 });
    await expect(page.getByTestId("header-lag")).toHaveCount(0, { timeout: 15_000 });
    console.log(`Kafka lag after the producer stopped: ${await panelLag(page)} (peak ${peakWhileProducing})`);
    await panel.screenshot({ path: `${SHOTS}/kafka-panel-lag-shrinking.png` });

    // No batch took more than 5 records of a partition, and a batch's details list its offset ranges.
    const done = (await batches(request, pipelineId, runId)).filter((b) => b.status === "completed");
    expect(Math.max(...done.map((b) => b.numRecords))).toBeLessThanOrEqual(10);
    const busy = done.filter((b) => b.numRecords > 0).at(-1)!;
    // The table grows at the top every second, so the row never holds still for a pointer click.
    await page.locator(`[data-testid="batch-table"] tr[data-batch-time="${busy.batchTimeMs}"]`).dispatchEvent("click");
    const ranges = page.getByTestId("batch-offset-ranges");
    await expect(ranges).toBeVisible();
    expect(await ranges.locator("tbody tr").count()).toBeGreaterThanOrEqual(1);
    await expect(ranges).toContainText(topic);
    await page.getByTestId("batch-details").screenshot({ path: `${SHOTS}/batch-details-offset-ranges.png` });
  } finally {
    await producer.disconnect();
    await request.post(`/api/pipelines/${pipelineId}/run`, { data: { action: "stop", runId } });
  }
});

/** A TCP server the socket source connects to; `burst` writes lines to it at once. */
async function lineServer(): Promise<{ port: number; connected: Promise<net.Socket>; close: () => void }> {
  let resolve!: (s: net.Socket) => void;
  const connected = new Promise<net.Socket>((r) => (resolve = r));
  const sockets: net.Socket[] = [];
  const server = net.createServer((s) => {
    sockets.push(s);
    s.on("error", () => undefined);
    resolve(s);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    port: (server.address() as net.AddressInfo).port,
    connected,
    close: () => {
      for (const s of sockets) s.destroy();
      server.close();
    },
  };
}

const BURST = 3_000;
// Work per line of 1 to 2 ms of wall-clock time, whatever the machine's speed: about 700 lines a
// second, so the burst is seconds of processing (within the run's batch limit of 10 s).
const COSTLY = "(line) => { const end = Date.now() + 2; while (Date.now() < end) {} return line.length; }";

function socketDocument(name: string, port: number, backpressure: boolean) {
  return {
    schemaVersion: 2,
    name,
    settings: {
      batchIntervalMs: 1000,
      checkpointing: { enabled: false },
      concurrentJobs: 1,
      rateControl: { backpressure, initialRate: 200, pid: { proportional: 1, integral: 0.2, derived: 0, minRate: 20 } },
    },
    nodes: [
      { id: "lines", kind: "socketText", position: { x: 0, y: 0 }, config: { host: "127.0.0.1", port } },
      { id: "work", kind: "map", position: { x: 320, y: 0 }, config: { fn: COSTLY } },
      { id: "out", kind: "print", position: { x: 640, y: 0 }, config: { num: 1 } },
    ],
    edges: [
      { id: "e1", source: "lines", sourcePort: "out", target: "work", targetPort: "in" },
      { id: "e2", source: "work", sourcePort: "out", target: "out", targetPort: "in" },
    ],
  };
}

const figures = (bs: Batch[]) => bs.map((b) => `${b.numRecords}rec/${b.schedulingDelayMs}ms`).join(" ");

test("a burst under backpressure keeps the scheduling delay bounded; paused, the waiting input is shown", async ({ page, request }) => {
  const burst = Array.from({ length: BURST }, (_, i) => `line ${i}`).join("\n") + "\n";

  // Without backpressure: the whole burst lands in one batch and the batches after it wait.
  const plain = await lineServer();
  const without = await startRun(request, socketDocument("Burst without backpressure", plain.port, false));
  let withoutBatches: Batch[] = [];
  try {
    (await plain.connected).write(burst);
    await expect.poll(async () => (await batches(request, without.pipelineId, without.runId)).filter((b) => b.status === "completed").reduce((n, b) => n + b.numRecords, 0), { timeout: 90_000 }).toBe(BURST);
    withoutBatches = (await batches(request, without.pipelineId, without.runId)).filter((b) => b.status === "completed" && (b.numRecords > 0 || (b.schedulingDelayMs ?? 0) > 0));
  } finally {
    await request.post(`/api/pipelines/${without.pipelineId}/run`, { data: { action: "stop", runId: without.runId } });
    plain.close();
  }

  // With backpressure: batches take what one interval can process; the rest waits in the receiver.
  const lines = await lineServer();
  const withBp = await startRun(request, socketDocument("Burst with backpressure", lines.port, true));
  let withBatches: Batch[] = [];
  try {
    await page.goto(`/runs/${withBp.runId}`);
    const ratePanel = page.getByTestId("rate-panel");
    await expect(ratePanel).toBeVisible({ timeout: 30_000 });
    const socket = await lines.connected;
    socket.write(burst);
    const processed = async () => (await batches(request, withBp.pipelineId, withBp.runId)).filter((b) => b.status === "completed").reduce((n, b) => n + b.numRecords, 0);
    await expect.poll(processed, { timeout: 120_000 }).toBe(BURST);
    withBatches = (await batches(request, withBp.pipelineId, withBp.runId)).filter((b) => b.status === "completed" && b.numRecords > 0);
    await expect(ratePanel.getByTestId("input-waiting")).toHaveText("0", { timeout: 10_000 });
    await expect(ratePanel.getByTestId("allowed-rate")).not.toHaveText("200 records/s");
    await ratePanel.screenshot({ path: `${SHOTS}/rate-panel-drained.png` });

    // Paused, engine time stands still: what arrives waits, and the panel says how much.
    await page.getByRole("button", { name: "Pause", exact: true }).click();
    await expect(page.getByTestId("run-status")).toHaveAttribute("data-status", "paused");
    socket.write(Array.from({ length: 3000 }, (_, i) => `second ${i}`).join("\n") + "\n");
    const waiting = page.getByTestId("paused-waiting");
    await expect(waiting).toBeVisible();
    await expect.poll(async () => Number((await waiting.locator("strong").textContent())!.replace(/,/g, "")), { timeout: 15_000 }).toBeGreaterThan(1000);
    console.log(`paused: ${await waiting.textContent()} (allowed rate ${await ratePanel.getByTestId("allowed-rate").textContent()})`);
    await ratePanel.screenshot({ path: `${SHOTS}/rate-panel-paused.png` });
    await page.getByRole("button", { name: "Resume", exact: true }).click();
    await expect(page.getByTestId("run-status")).toHaveAttribute("data-status", "running");
    await expect.poll(processed, { timeout: 60_000 }).toBe(BURST + 3000);
    await expect(ratePanel.getByTestId("input-waiting")).toHaveText("0", { timeout: 10_000 });
  } finally {
    await request.post(`/api/pipelines/${withBp.pipelineId}/run`, { data: { action: "stop", runId: withBp.runId } });
    lines.close();
  }

  const maxDelay = (bs: Batch[]) => Math.max(0, ...bs.map((b) => b.schedulingDelayMs ?? 0));
  console.log(`without backpressure (records/scheduling delay per batch): ${figures(withoutBatches)}`);
  console.log(`with backpressure (records/scheduling delay per batch):    ${figures(withBatches)}`);
  console.log(`max scheduling delay: without ${maxDelay(withoutBatches)} ms, with ${maxDelay(withBatches)} ms`);
  expect(Math.max(...withoutBatches.map((b) => b.numRecords))).toBeGreaterThan(BURST / 2);
  // With backpressure no batch takes the burst whole: each takes what the estimate allows.
  expect(Math.max(...withBatches.map((b) => b.numRecords))).toBeLessThan(Math.max(...withoutBatches.map((b) => b.numRecords)));
  // Bounded relative to the same burst without backpressure (no wall-clock bound: the machine's load
  // sets absolute delays; the engine's own bound is pinned on a manual clock in tests/unit/engine/rate).
  expect(maxDelay(withBatches)).toBeLessThan(maxDelay(withoutBatches));
});

test("rate settings in the editor: the pipeline's backpressure terms and a source's maximum rate are checked as typed", async ({ page, request }) => {
  test.setTimeout(150_000);
  const created = await request.post("/api/pipelines", { data: socketDocument("Rate settings", 9999, false) });
  expect(created.status()).toBe(201);
  const { id } = (await created.json()) as { id: string };
  try {
    await page.goto(`/pipelines/${id}`);
    await expect(page.getByTestId("editor")).toBeVisible({ timeout: 30_000 });
    const settings = page.getByTestId("rate-control-settings");
    await expect(settings).toBeVisible();
    await settings.getByLabel("backpressure (spark.streaming.backpressure.enabled)").check();
    await settings.getByLabel("PID min rate").fill("0");
    await expect(settings.getByRole("alert")).toHaveText("PID min rate: must be more than 0 records per second");
    await settings.getByLabel("PID min rate").fill("25");
    await expect(settings.getByRole("alert")).toHaveCount(0);
    await settings.screenshot({ path: `${SHOTS}/rate-settings-form.png` });

    await page.getByTestId("node-lines").click();
    const maxRate = page.getByTestId("field-maxRate");
    await maxRate.locator("input").fill("-3");
    await expect(maxRate).toContainText("must be more than 0 records per second");
  } finally {
    await request.delete(`/api/pipelines/${id}`);
  }
});
