import { expect, test, type APIRequestContext, type Page } from "@playwright/test";

// Replay on the run page: a completed batch run again with its recorded input, and the pipeline
// edited in the editor compared with the run over every recorded batch. Replays run on the
// server in processes of their own; the page shows what they answered.

test.use({ viewport: { width: 1400, height: 1000 } });
// Each test starts a run and waits for replay processes: more than the default minute on a busy machine.
test.setTimeout(300_000);

const shot = (page: Page, name: string) => page.screenshot({ path: `test-results/screenshots/${name}.png`, fullPage: true });

/** queue [1,2,3], [4,5], [6] → map to [x % 2, x] → reduceByKey → print: (1,4) and (0,2) in the first batch. */
const document = {
  schemaVersion: 2,
  name: "Replay sums",
  description: "",
  settings: { batchIntervalMs: 500, checkpointing: { enabled: false }, concurrentJobs: 1 },
  nodes: [
    { id: "numbers", kind: "queue", position: { x: 0, y: 0 }, config: { batches: [[1, 2, 3], [4, 5], [6]], oneAtATime: true } },
    { id: "parity", kind: "map", position: { x: 260, y: 0 }, config: { fn: "(x) => [x % 2, x]", pairs: true } },
    { id: "sums", kind: "reduceByKey", position: { x: 520, y: 0 }, config: {} },
    { id: "out", kind: "print", position: { x: 780, y: 0 }, config: { num: 10 } },
  ],
  edges: [
    { id: "e1", source: "numbers", sourcePort: "out", target: "parity", targetPort: "in" },
    { id: "e2", source: "parity", sourcePort: "out", target: "sums", targetPort: "in" },
    { id: "e3", source: "sums", sourcePort: "out", target: "out", targetPort: "in" },
  ],
};

async function startRun(request: APIRequestContext): Promise<{ pipelineId: string; runId: string }> {
  const created = await request.post("/api/pipelines", { data: document });
  expect(created.status()).toBe(201);
  const { id: pipelineId } = await created.json();
  const started = await request.post(`/api/pipelines/${pipelineId}/run`, { data: { action: "start" } });
  expect(started.status()).toBe(201);
  const { runId } = await started.json();
  return { pipelineId, runId };
}

/** Opens the run page once the run has recorded its first four batches. */
async function openRecordedRun(page: Page, runId: string): Promise<void> {
  await page.goto(`/runs/${runId}`);
  await expect(page.getByTestId("run-status")).toHaveAttribute("data-status", "running", { timeout: 30_000 });
  await expect(page.getByTestId("recording-summary")).toContainText(/([4-9]|\d\d+) batches recorded/, { timeout: 30_000 });
}

test("replay of a batch from the batch table shows its outputs, before and after", async ({ page, request }) => {
  const { pipelineId, runId } = await startRun(request);
  await openRecordedRun(page, runId);
  // Oldest first: the run's first batch, whose input was [1, 2, 3].
  await page.getByTestId("batch-table").getByRole("button", { name: /Batch Time/ }).click();
  const first = page.getByTestId("batch-table").locator("tbody tr").first();
  await first.getByRole("button", { name: /Replay batch/ }).click();
  const replay = page.getByTestId("batch-replay");
  await expect(replay).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId("batch-replay-before-out")).toContainText("(1,4)");
  await expect(page.getByTestId("batch-replay-before-out")).toContainText("(0,2)");
  await expect(page.getByTestId("batch-replay-after-out")).toContainText("(1,4)");
  await expect(page.getByTestId("batch-replay-output-out")).toContainText("Same records.");
  await shot(page, "replay-batch");
  await request.post(`/api/pipelines/${pipelineId}/run`, { data: { action: "stop", runId } });
});

test("record and compare: an edit in the editor shows as changed records of the output", async ({ page, request }) => {
  const { pipelineId, runId } = await startRun(request);
  await openRecordedRun(page, runId);
  // Before any edit: the pipeline is the run's document, so nothing changed.
  await page.getByRole("button", { name: "Replay against this pipeline" }).click();
  await expect(page.getByTestId("replay-verdict")).toContainText("No differences", { timeout: 30_000 });

  // Edit the map function in the editor (autosaved as the working copy).
  await page.goto(`/pipelines/${pipelineId}`);
  await page.getByTestId("node-parity").click({ timeout: 30_000 });
  await page.getByTestId("code-fn").locator(".cm-content").fill("(x) => [x % 2, x * 10]");
  await expect(page.getByTestId("save-state")).toHaveText(/Saved/, { timeout: 15_000 });

  await page.goto(`/runs/${runId}`);
  await expect(page.getByTestId("recording-summary")).toContainText("batches recorded", { timeout: 30_000 });
  await page.getByRole("button", { name: "Replay against this pipeline" }).click();
  await expect(page.getByTestId("replay-verdict")).toContainText("changed", { timeout: 30_000 });
  const output = page.getByTestId("replay-output-out");
  await expect(output).toContainText("3 of");
  await expect(output).toContainText("+ (1,40)");
  await expect(output).toContainText("− (1,4)");
  await expect(output).toContainText("+ (0,60)");
  await expect(page.getByTestId("replay-panel")).toContainText("working copy");
  await shot(page, "replay-compare");

  // One batch of the table against the edited pipeline: before and after side by side.
  await page.getByTestId("batch-table").getByRole("button", { name: /Batch Time/ }).click();
  await page.getByTestId("batch-table").locator("tbody tr").first().getByRole("button", { name: /Replay batch/ }).click();
  await expect(page.getByTestId("batch-replay-before-out")).toContainText("(1,4)", { timeout: 30_000 });
  await expect(page.getByTestId("batch-replay-after-out")).toContainText("(1,40)");
  await request.post(`/api/pipelines/${pipelineId}/run`, { data: { action: "stop", runId } });
});
