import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";

// A server of its own, stopped under a checkpointing run whose checkpoints are then damaged: the
// run page names the skipped file and why, and the older file the run fell back to; with every
// file damaged the run stays stopped and the page asks before starting it over from scratch.
const port = 3104;
const base = `http://127.0.0.1:${port}`;
const checkpointRoot = path.resolve("data", "checkpoints");
let dir: string;
let server: ChildProcess | undefined;

let starts = 0;
async function startServer(): Promise<void> {
  // Its output goes to a file of the test's folder (attached when the test fails): the warnings are logged there.
  const log = fs.openSync(path.join(dir, `server-${++starts}.log`), "w");
  server = spawn(process.execPath, ["--import", "tsx", "server/index.ts"], {
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", NODE_ENV: "production", DATABASE_URL: `file:${dir}/studio.db` },
    stdio: ["ignore", log, log],
  });
  for (let i = 0; i < 240; i++) {
    if (await fetch(`${base}/api/health`).then((r) => r.ok, () => false)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the checkpoint test's server did not come up on port ${port}`);
}

async function stopServer(): Promise<void> {
  // SIGTERM: a shutdown, not a stop; the run stays live in the database and resumes at the next start.
  server!.kill("SIGTERM");
  await new Promise<void>((resolve) => server!.once("exit", () => resolve()));
}

test.beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "dss-checkpoint-e2e-"));
  execFileSync(process.execPath, ["scripts/prepare-db.mjs"], { env: { ...process.env, DATABASE_URL: `file:${dir}/studio.db` }, stdio: "ignore" });
});

// eslint-disable-next-line no-empty-pattern -- Playwright reads the fixtures a hook asks for from this pattern; this one asks for none
test.afterEach(async ({}, testInfo) => {
  if (testInfo.status === testInfo.expectedStatus) return;
  for (let i = 1; i <= starts; i++) await testInfo.attach(`server-${i}.log`, { path: path.join(dir, `server-${i}.log`) });
});

test.afterAll(() => {
  server?.kill("SIGTERM");
});

const at = { x: 0, y: 0 };
const counting = {
  schemaVersion: 2,
  name: "Counting with checkpoints",
  description: "",
  settings: { batchIntervalMs: 200, checkpointing: { enabled: true }, concurrentJobs: 1 },
  nodes: [
    { id: "gen", kind: "transactionGenerator", position: at, config: { mode: "random", timeScale: 20, seed: 7 } },
    { id: "pairs", kind: "mapToPair", position: at, config: { fn: "(line) => [String(line).split(',')[2], 1]" } },
    { id: "sums", kind: "updateStateByKey", position: at, config: { fn: "(values, state) => (state ?? 0) + values.length" } },
    { id: "out", kind: "print", position: at, config: { num: 3 } },
  ],
  edges: [
    { id: "e1", source: "gen", sourcePort: "out", target: "pairs", targetPort: "in" },
    { id: "e2", source: "pairs", sourcePort: "out", target: "sums", targetPort: "in" },
    { id: "e3", source: "sums", sourcePort: "out", target: "out", targetPort: "in" },
  ],
};

const checkpoints = (runId: string): string[] =>
  (fs.existsSync(path.join(checkpointRoot, runId)) ? fs.readdirSync(path.join(checkpointRoot, runId)) : []).filter((n) => /^checkpoint-\d+$/.test(n)).sort();

async function runStatus(pipelineId: string, runId: string): Promise<string | undefined> {
  const res = await fetch(`${base}/api/pipelines/${pipelineId}/run?runId=${runId}`);
  return res.ok ? ((await res.json()) as { snapshot: { status: string } }).snapshot.status : undefined;
}

test("a damaged checkpoint is named on the run page; with none usable the page asks before starting over", async ({ page }) => {
  test.setTimeout(600_000); // two server restarts, and stateful checkpoints come every 10 s
  await startServer();
  const created = await fetch(`${base}/api/pipelines`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(counting) });
  expect(created.status).toBe(201);
  const { id: pipelineId } = (await created.json()) as { id: string };
  const started = await fetch(`${base}/api/pipelines/${pipelineId}/run`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ action: "start" }) });
  expect(started.status).toBe(201);
  const { runId } = (await started.json()) as { runId: string };
  await expect.poll(() => checkpoints(runId).length, { timeout: 180_000 }).toBeGreaterThanOrEqual(2);
  await stopServer();

  // The newest file cut to half its size.
  const [older, newest] = checkpoints(runId).slice(-2);
  const newestPath = path.join(checkpointRoot, runId, newest);
  fs.truncateSync(newestPath, Math.floor(fs.statSync(newestPath).size / 2));
  await startServer();
  await expect.poll(() => runStatus(pipelineId, runId), { timeout: 60_000 }).toBe("running");
  await page.goto(`${base}/runs/${runId}`);
  const warning = page.getByTestId("checkpoint-warning");
  await expect(warning).toBeVisible();
  await expect(warning).toContainText("Damaged checkpoint skipped");
  await expect(warning).toContainText(newest);
  await expect(warning).toContainText("truncated");
  await expect(warning).toContainText(`recovered from the older checkpoint ${older}`);
  await expect(page.getByTestId("run-status")).toHaveAttribute("data-status", "running");
  await page.screenshot({ path: "test-results/screenshots/checkpoint-skipped.png", fullPage: true });
  await expect.poll(() => checkpoints(runId).some((f) => f > newest), { timeout: 180_000 }).toBe(true);
  expect(await runStatus(pipelineId, runId), "the run is live when the server is stopped again").toBe("running");
  await stopServer();

  // Every file damaged: the run is kept stopped, and the page asks.
  for (const f of checkpoints(runId)) fs.writeFileSync(path.join(checkpointRoot, runId, f), "");
  await startServer();
  await expect.poll(() => runStatus(pipelineId, runId), { timeout: 60_000 }).toBe("stopped");
  await page.goto(`${base}/runs/${runId}`);
  await expect(warning).toContainText("No usable checkpoint");
  await expect(warning).toContainText("empty");
  await expect(warning).toHaveAttribute("data-needs-decision", "true");
  await page.screenshot({ path: "test-results/screenshots/checkpoint-none-usable.png", fullPage: true });
  await warning.getByRole("button", { name: "Resume from scratch" }).click();
  await expect.poll(() => runStatus(pipelineId, runId), { timeout: 60_000 }).toBe("running");
  await expect(page.getByTestId("run-status")).toHaveAttribute("data-status", "running", { timeout: 30_000 });
  expect(fs.readdirSync(path.join(checkpointRoot, runId)).some((n) => n.startsWith("damaged-checkpoint-"))).toBe(true);
  const stopped = await fetch(`${base}/api/pipelines/${pipelineId}/run`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ action: "stop", runId }) });
  expect(stopped.ok).toBe(true);
});
