import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";

// A second server on its own port and database, killed mid-run (SIGKILL: no chance to save
// anything more) and started again: the run resumes under its id, and its open dashboard
// reconnects and shows the batches from before the crash, then new ones, with its status.
const port = 3102;
const base = `http://127.0.0.1:${port}`;
let dir: string;
let server: ChildProcess | undefined;

async function startServer(): Promise<void> {
  // One process (no tsx CLI wrapper), so that a kill reaches the server itself.
  server = spawn(process.execPath, ["--import", "tsx", "server/index.ts"], {
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", NODE_ENV: "production", DATABASE_URL: `file:${dir}/studio.db` },
    stdio: "ignore",
  });
  for (let i = 0; i < 240; i++) {
    if (await fetch(`${base}/api/health`).then((r) => r.ok, () => false)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the second server did not come up on port ${port}`);
}

test.beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "dss-restart-"));
  execFileSync(process.execPath, ["scripts/prepare-db.mjs"], { env: { ...process.env, DATABASE_URL: `file:${dir}/studio.db` }, stdio: "ignore" });
});

test.afterAll(() => {
  server?.kill("SIGTERM");
});

test("a server killed mid-run comes back with the run, its history and its status", async ({ page }) => {
  test.setTimeout(120_000);
  await startServer();
  const list = await (await fetch(`${base}/api/pipelines`)).json();
  const sample = list.pipelines.find((p: { name: string }) => p.name === "Transactions per account");
  const started = await fetch(`${base}/api/pipelines/${sample.id}/run`, { method: "POST", body: JSON.stringify({ action: "start" }), headers: { "content-type": "application/json" } });
  expect(started.status).toBe(201);
  const { runId } = await started.json();

  await page.goto(`${base}/runs/${runId}`);
  await expect(page.getByTestId("run-status")).toHaveAttribute("data-status", "running");
  const rows = page.getByTestId("batch-table").locator("tbody tr");
  await expect(rows.nth(3)).toBeVisible({ timeout: 30_000 });
  await page.waitForTimeout(1200); // let the completed batches reach the database (written every 0.5 s)
  const before = await rows.allInnerTexts();
  const oldest = before[before.length - 1].split("\t")[0].trim();

  server!.kill("SIGKILL");
  await new Promise<void>((resolve) => server!.once("exit", () => resolve()));
  await expect(page.getByText("reconnecting…")).toBeVisible({ timeout: 15_000 });
  await page.screenshot({ path: "test-results/screenshots/restart-disconnected.png", fullPage: true });

  await startServer();
  // The same page reconnects by itself: the old batches are back, the run is live again.
  await expect(page.getByTestId("run-status")).toHaveAttribute("data-status", "running", { timeout: 60_000 });
  await expect(page.getByText("reconnecting…")).toHaveCount(0);
  await expect(page.getByTestId("batch-table")).toContainText(oldest);
  const count = before.length;
  await expect.poll(async () => (await rows.allInnerTexts()).length, { timeout: 30_000 }).toBeGreaterThan(count + 1);
  await page.screenshot({ path: "test-results/screenshots/restart-recovered.png", fullPage: true });

  // A fresh page of the same run shows the history too.
  await page.goto(`${base}/runs/${runId}`);
  await expect(page.getByTestId("batch-table")).toContainText(oldest);
  await expect(page.getByTestId("run-basic-info")).toContainText(/completed batches/);
});

test("a stopped run's fraud flags are still in its dashboard after a restart, with their filters", async ({ page }) => {
  test.setTimeout(120_000);
  if (!server || server.exitCode !== null || server.signalCode !== null) await startServer();
  const started = await fetch(`${base}/api/pipelines`, {
    method: "POST",
    body: JSON.stringify({ template: "fraudMapWithState", start: true }),
    headers: { "content-type": "application/json" },
  });
  expect(started.status).toBe(201);
  const { id: pipelineId, runId } = await started.json();
  // The first window closes 10 s in; its 4322.33 transactions are flagged.
  await expect
    .poll(async () => ((await (await fetch(`${base}/api/runs/${runId}/flags`)).json()) as { total: number }).total, { timeout: 60_000 })
    .toBeGreaterThan(0);
  const stopped = await fetch(`${base}/api/pipelines/${pipelineId}/run`, { method: "POST", body: JSON.stringify({ action: "stop", runId }), headers: { "content-type": "application/json" } });
  expect(stopped.ok).toBe(true);
  const { total } = (await (await fetch(`${base}/api/runs/${runId}/flags`)).json()) as { total: number };

  server!.kill("SIGKILL");
  await new Promise<void>((resolve) => server!.once("exit", () => resolve()));
  await startServer();

  await page.goto(`${base}/runs/${runId}`);
  const panel = page.getByRole("region", { name: "Fraud flags" });
  await expect(panel.getByTestId("fraud-flags").locator("tbody tr")).toHaveCount(Math.min(total, 50));
  await expect(panel.getByTestId("flag-count")).toContainText(`${total} flagged`);
  await expect(panel.getByTestId("fraud-flags")).toContainText("987-CBA-321");
  await panel.getByLabel("Filter flags by account").selectOption("987-CBA-321");
  await expect(panel.getByTestId("flag-count")).toContainText(`${total} matching`);
  // The database kept the run's batches: Spark's tables are back, and a flag's trace opens its batch.
  await expect(page.getByTestId("batch-table").locator("tbody tr").first()).toBeVisible();
  await expect(page.getByTestId("run-basic-info")).toContainText(/\d+ completed batches/);
  await panel.locator("tbody tr").first().click();
  await panel.getByTestId("flag-details").getByRole("button", { name: /records$/ }).last().click();
  await expect(page.getByTestId("batch-details")).toContainText("Details of batch at");
  await page.screenshot({ path: "test-results/screenshots/restart-stored-flags.png", fullPage: true });

  // The runs list counts each run's flags.
  await page.goto(`${base}/runs`);
  await expect(page.getByTestId("runs-table").locator(`tr[data-run-id="${runId}"]`).getByTestId("run-flags")).toHaveText(String(total));
});
