import { expect, test } from "@playwright/test";

// The sample pipeline of a new installation runs in a worker thread on the server; its run page
// shows the batches as they complete, the print output in Spark's layout and the statistics.
test("running the sample pipeline shows live batches, print output and statistics", async ({ page, request }) => {
  const list = await (await request.get("/api/pipelines")).json();
  const sample = list.pipelines.find((p: { name: string }) => p.name === "Transactions per account");
  expect(sample, "the sample pipeline is seeded").toBeTruthy();

  const started = await request.post(`/api/pipelines/${sample.id}/run`, { data: { action: "start" } });
  expect(started.status()).toBe(201);
  const { runId } = await started.json();

  await page.goto(`/runs/${runId}`);
  await expect(page.getByTestId("run-status")).toHaveAttribute("data-status", "running");
  const console = page.getByTestId("print-console");
  // Spark's print layout: a dashed rule, "Time: <ms> ms", the rule again, then the records.
  await expect(console).toContainText(/Time: \d+ ms/);
  await expect(console).toContainText(/\((123-ABC-789|456-DEF-456|333-XYZ-999|987-CBA-321),\d+\)/);
  await expect(page.getByTestId("batch-table").locator("tbody tr").nth(2)).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId("run-basic-info")).toContainText(/completed batches/);
  await page.screenshot({ path: "test-results/screenshots/run-dashboard.png", fullPage: true });

  const stopped = await request.post(`/api/pipelines/${sample.id}/run`, { data: { action: "stop", runId } });
  expect(stopped.ok()).toBe(true);
  await expect(page.getByTestId("run-status")).toHaveAttribute("data-status", "stopped");
});
