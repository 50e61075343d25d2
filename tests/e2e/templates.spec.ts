import { expect, test } from "@playwright/test";

// One click from the home page: "Run" on a template card starts the pipeline made from it (the
// seeded sample, for this one) and lands on that run's live dashboard.
test("Run on the home page's Transactions per account card opens its live run dashboard", async ({ page, request }) => {
  await page.goto("/");
  const card = page.getByTestId("template-transactions");
  await expect(card.getByRole("heading", { name: "Transactions per account" })).toBeVisible();
  await expect(card.getByRole("button", { name: "Open in editor: Transactions per account" })).toBeEnabled();

  // The answer gives the pipeline's id too, which stopping the run needs.
  const answered = page.waitForResponse(
    (r) => new URL(r.url()).pathname === "/api/pipelines" && r.request().method() === "POST",
  );
  await card.getByRole("button", { name: "Run Transactions per account" }).click();
  const response = await answered;
  expect(response.ok()).toBe(true);
  const { id: pipelineId, runId, reused } = (await response.json()) as { id: string; runId: string; reused?: boolean };
  // The installation's sample was made from this example: it is run, not copied once more.
  expect(reused).toBe(true);

  try {
    await expect(page).toHaveURL(new RegExp(`/runs/${runId}$`));
    const dashboard = page.getByTestId("run-dashboard");
    await expect(dashboard).toBeVisible();
    await expect(dashboard.getByRole("heading", { name: "Transactions per account" })).toBeVisible();
    await expect(page.getByTestId("run-status")).toHaveAttribute("data-status", "running");
    await expect(page.getByTestId("batch-table").locator("tbody tr").first()).toBeVisible({ timeout: 20_000 });
    await expect(page.getByTestId("run-basic-info")).toContainText(/\([1-9][\d,]* completed batches/);
    await page.screenshot({ path: "test-results/screenshots/template-run.png", fullPage: true });
  } finally {
    // Stopped whatever happened above, so the run does not go on under the next test.
    const stopped = await request.post(`/api/pipelines/${pipelineId}/run`, { data: { action: "stop", runId } });
    expect(stopped.ok()).toBe(true);
  }
  await expect(page.getByTestId("run-status")).toHaveAttribute("data-status", "stopped");

  // The home page lists that pipeline once, with its last run.
  await page.goto("/");
  const list = page.getByTestId("pipeline-list");
  await expect(list.locator(`a[href="/pipelines/${pipelineId}"]`)).toHaveText("Transactions per account");
  await expect(list.getByRole("link", { name: "Transactions per account", exact: true })).toHaveCount(1);
  await expect(page.getByTestId(`pipeline-${pipelineId}`).getByTestId("last-run")).toContainText("last run stopped");
});

// The button is disabled while its request is in flight, and a refusal is shown, naming what failed.
test("a Run the server refuses shows why on its card and can be tried again", async ({ page }) => {
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route("**/api/pipelines", async (route) => {
    if (route.request().method() !== "POST") return route.fallback();
    await held;
    await route.fulfill({
      status: 503,
      json: { error: "runs are not available: this server has no run hub; start the app with `npm start`" },
    });
  });
  await page.goto("/");
  const card = page.getByTestId("template-windowExplorer");
  const run = card.getByRole("button", { name: "Run Window explorer" });
  await run.click();
  await expect(run).toBeDisabled();
  await expect(card.getByRole("button", { name: "Open in editor: Window explorer" })).toBeDisabled();
  release();
  await expect(card.getByRole("alert")).toHaveText(
    "Could not run Window explorer: runs are not available: this server has no run hub; start the app with `npm start`",
  );
  await expect(run).toBeEnabled();
  await expect(page).toHaveURL(/\/$/);
});
