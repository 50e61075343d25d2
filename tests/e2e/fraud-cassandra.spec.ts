import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { fraudArticleKafkaCassandraTemplate } from "../../engine/pipeline/samples";
import { freeBrokerPort, startBroker, stopBroker } from "../../scripts/kafka/broker.mjs";
import { freeCassandraPort, startCassandra, stopCassandra } from "../../scripts/cassandra/server.mjs";
import { seedArticleTable } from "../../scripts/cassandra/schema";

// The article's version of the detector, as a user runs it: Kafka and Cassandra of their own
// (started by the project's scripts on free ports; Cassandra seeded with finances.account_aggregates),
// "Fraud detection (the article: Kafka + Cassandra)" imported on the New pipeline page, pointed in
// the editor at that broker and cluster (whose table the editor inspects: a wrong column is an
// error), Run, and the article's producer sending its 101 lines.
// The fraud panel shows the article's flags: 987-CBA-321 against its historic 250 from Cassandra.

test.use({ viewport: { width: 1600, height: 1000 } });
test.describe.configure({ timeout: 300_000 });

const root = path.resolve(import.meta.dirname, "..", "..");
const quiet = () => undefined;
let kafkaDir: string | undefined;
let cassandraDir: string | undefined;
let bootstrap: string;
let contactPoint: string;
let producer: ChildProcess | undefined;

test.beforeAll(async () => {
  test.setTimeout(300_000);
  kafkaDir = fs.mkdtempSync(path.join(os.tmpdir(), "dstream-kafka-e2e-"));
  cassandraDir = fs.mkdtempSync(path.join(os.tmpdir(), "dstream-cassandra-e2e-"));
  // One after the other: both are JVMs, and the machine may have two cores only.
  ({ bootstrap } = await startBroker({ port: await freeBrokerPort(), dataDir: kafkaDir, partitions: 1, log: quiet }));
  ({ contactPoint } = await startCassandra({ port: await freeCassandraPort(), dataDir: cassandraDir, log: quiet }));
  await seedArticleTable(contactPoint);
});

test.afterAll(async () => {
  producer?.kill();
  if (kafkaDir) {
    await stopBroker({ dataDir: kafkaDir, log: quiet });
    fs.rmSync(kafkaDir, { recursive: true, force: true });
  }
  if (cassandraDir) {
    await stopCassandra({ dataDir: cassandraDir, log: quiet });
    fs.rmSync(cassandraDir, { recursive: true, force: true });
  }
});

test("the article's version (Kafka + Cassandra): import, point at the broker and the cluster, run, produce, see its flags", async ({ page, context }) => {
  await page.goto("/pipelines/new");
  await page.getByTestId("import-new").setInputFiles({
    name: "fraud-article-kafka-cassandra.json",
    mimeType: "application/json",
    buffer: Buffer.from(JSON.stringify(fraudArticleKafkaCassandraTemplate)),
  });
  await expect(page.getByTestId("editor")).toBeVisible({ timeout: 30_000 });

  // The template points at localhost:9092 and localhost:9042; this test's servers listen elsewhere.
  await page.getByTestId("node-transactions").click();
  await page.getByTestId("field-brokers").locator("input").fill(bootstrap);
  await page.getByTestId("node-historic").click();
  await expect(page.getByTestId("field-keyspace").locator("input")).toHaveValue("finances");
  await page.getByTestId("field-contactPoints").locator("input").fill(contactPoint);
  // The editor inspects the table in that cluster: a value column it lacks is an error naming its columns.
  const valueField = page.getByTestId("field-valueField").locator("input");
  await valueField.fill("average");
  await expect(page.getByTestId("problems")).toContainText(
    'valueField "average" is not a column of Cassandra table finances.account_aggregates (columns: account_number, average_transaction)',
    { timeout: 30_000 },
  );
  await valueField.fill("average_transaction");
  await expect(page.getByTestId("problems")).toContainText("0 errors");
  await expect(page.getByTestId("save-state")).toHaveText(/Saved/, { timeout: 15_000 });

  await page.getByTestId("run").click();
  const dashboardLink = page.getByTestId("run-page-link");
  await expect(dashboardLink).toBeVisible({ timeout: 30_000 });
  const runUrl = await dashboardLink.getAttribute("href");

  // `npm run produce -- <servers> transactions no`: the article's producer at its own pace.
  producer = spawn(process.execPath, [path.join(root, "node_modules", "tsx", "dist", "cli.mjs"), "scripts/produce.ts", bootstrap, "transactions", "no", "--quiet"], {
    cwd: root,
    stdio: "ignore",
  });

  const dashboard = await context.newPage();
  await dashboard.goto(runUrl!);
  const panel = dashboard.getByRole("region", { name: "Fraud flags" });
  const rows = panel.getByTestId("fraud-flags").locator("tbody tr");
  await expect(rows.first()).toBeVisible({ timeout: 90_000 });
  const accounts = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-account")));
  const rules = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-rule")));
  expect(new Set(accounts)).toEqual(new Set(["987-CBA-321"]));
  for (const rule of rules) expect(["averageTx", "windowSpendingAvg"]).toContain(rule);
  // The historic average behind the flag is Cassandra's 250 for 987-CBA-321.
  await expect(rows.first()).toContainText("250");
  await expect(dashboard.getByRole("region", { name: "Streams", exact: true })).toContainText("kafka");
  await dashboard.screenshot({ path: "test-results/screenshots/fraud-article-kafka-cassandra.png", fullPage: true });

  await dashboard.getByRole("button", { name: "Stop", exact: true }).click();
  await dashboard.getByRole("alertdialog", { name: "Stop this run?" }).getByRole("button", { name: "Stop the run" }).click();
  await expect(dashboard.getByTestId("run-status")).toHaveAttribute("data-status", "stopped", { timeout: 30_000 });
});
