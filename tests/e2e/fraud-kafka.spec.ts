import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { freeBrokerPort, startBroker, stopBroker } from "../../scripts/kafka/broker.mjs";
import { inp, out, place, wire } from "./helpers/editor";

// The fraud template on Kafka, as the README tells a user to do it: a Kafka broker of its own
// (started from Maven Central's jars), the template opened in the editor, its generator replaced
// by a Kafka source wired into the parser, Run, and the article's producer (`npm run produce`)
// sending the 101 deterministic lines. The fraud panel shows 987-CBA-321's flags within a minute.

test.use({ viewport: { width: 1600, height: 1000 } });
test.describe.configure({ timeout: 240_000 });

const root = path.resolve(import.meta.dirname, "..", "..");
let dataDir: string;
let bootstrap: string;
let producer: ChildProcess | undefined;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "dstream-kafka-e2e-"));
  // The topic is not created beforehand: as in the README, the broker creates it on first use.
  ({ bootstrap } = await startBroker({ port: await freeBrokerPort(), dataDir, partitions: 1, log: () => undefined }));
});

test.afterAll(async () => {
  producer?.kill();
  if (dataDir) {
    await stopBroker({ dataDir, log: () => undefined });
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

const TEMPLATES = [
  { name: "Fraud detection (updateStateByKey)", rules: ["averageTx", "windowSpendingAvg"], screenshot: "fraud-kafka-updateStateByKey" },
  { name: "Fraud detection (mapWithState)", rules: ["amount>4000"], screenshot: "fraud-kafka-mapWithState" },
];

for (const template of TEMPLATES) {
  test(`${template.name} on Kafka: swap the source in the editor, run, produce, see the flags`, async ({ page, context }) => {
    await page.goto("/");
    await page.getByRole("button", { name: `Open in editor: ${template.name}` }).click();
    await expect(page.getByTestId("editor")).toBeVisible({ timeout: 30_000 });

    // Replace the generator with a Kafka source reading the broker's `transactions` topic.
    await page.getByTestId("node-transactions").click();
    await page.keyboard.press("Delete");
    await expect(page.getByTestId("node-transactions")).toHaveCount(0);
    await place(page, "kafka", 120, 420);
    await expect(page.getByTestId("node-kafka1")).toBeVisible();
    await page.getByTestId("node-kafka1").click();
    await page.getByTestId("field-brokers").locator("input").fill(bootstrap);
    await wire(page, out(page, "kafka1"), inp(page, "parse"));
    await expect(page.getByTestId("problems")).toContainText("0 errors");
    await expect(page.getByTestId("save-state")).toHaveText(/Saved/, { timeout: 15_000 });

    await page.getByTestId("run").click();
    const dashboardLink = page.getByTestId("run-page-link");
    await expect(dashboardLink).toBeVisible({ timeout: 30_000 });
    const runUrl = await dashboardLink.getAttribute("href");

    // `npm run produce -- <servers> transactions no`: the article's producer at its own pace.
    // The default consumer group continues after the previous run's offsets: each run reads what
    // its own producer sends.
    producer?.kill();
    producer = spawn(process.execPath, [path.join(root, "node_modules", "tsx", "dist", "cli.mjs"), "scripts/produce.ts", bootstrap, "transactions", "no", "--quiet"], {
      cwd: root,
      stdio: "ignore",
    });

    const dashboard = await context.newPage();
    await dashboard.goto(runUrl!);
    const panel = dashboard.getByRole("region", { name: "Fraud flags" });
    await expect(panel.getByTestId("fraud-flags").locator("tbody tr").first()).toBeVisible({ timeout: 60_000 });
    const rows = panel.getByTestId("fraud-flags").locator("tbody tr");
    const accounts = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-account")));
    const rules = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-rule")));
    expect(new Set(accounts)).toEqual(new Set(["987-CBA-321"]));
    for (const rule of rules) expect(template.rules).toContain(rule);
    // The input came from Kafka: the dashboard's stream list shows the Kafka source's records.
    await expect(dashboard.getByRole("region", { name: "Streams", exact: true })).toContainText("kafka");
    await dashboard.screenshot({ path: `test-results/screenshots/${template.screenshot}.png`, fullPage: true });

    await dashboard.getByRole("button", { name: "Stop", exact: true }).click();
    await dashboard.getByRole("alertdialog", { name: "Stop this run?" }).getByRole("button", { name: "Stop the run" }).click();
    await expect(dashboard.getByTestId("run-status")).toHaveAttribute("data-status", "stopped", { timeout: 30_000 });
    producer.kill();
  });
}
