import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import type { PipelineDocument } from "@/engine/pipeline/document";

// Operating a run from its dashboard at 1024 px: every chart is kept as a screenshot under
// test-results/screenshots/charts/, no table overflows its card, values are rounded for reading
// (exact on hover), Stop asks first, and the ended run's last state stays readable: paged and
// searched, also once the server no longer hosts the run.

const ACCOUNTS = 30;
const account = (i: number) => `ACC-${String(i).padStart(3, "0")}`;
/** Three batches of transactions of 30 accounts, amounts with cents (their sums carry float noise), one above 4000, one unparsable line. */
const batches = [0, 1, 2].map((b) => [
  ...Array.from({ length: ACCOUNTS }, (_, i) => `${b * 100 + i + 1},01/0${b + 2}/2020,${account(i)},${(10.34 + i * 7.21 + b * 0.1).toFixed(2)},A rather long description of a purchase ${i}`),
  ...(b === 1 ? ["9999,01/03/2020,ACC-007,4322.33,Electronics", "garbage line"] : []),
]);

const operated: PipelineDocument = {
  schemaVersion: 2,
  name: "Operated ledger (e2e)",
  description: "",
  settings: { batchIntervalMs: 1000, checkpointing: { enabled: true }, concurrentJobs: 1 },
  nodes: [
    { id: "queue", kind: "queue", position: { x: 0, y: 0 }, config: { batches, oneAtATime: true } },
    { id: "parse", kind: "parseTransactions", position: { x: 200, y: 0 }, config: {} },
    { id: "unparsable", kind: "deadLetters", position: { x: 400, y: 200 }, config: {} },
    { id: "byAccount", kind: "keyBy", position: { x: 400, y: 0 }, config: { field: "account_number" } },
    { id: "evaluate", kind: "aggregateWithState", position: { x: 600, y: 0 }, config: { fraudAmount: 4000 } },
    { id: "flags", kind: "fraudFlags", position: { x: 800, y: 0 }, config: {} },
    { id: "snapshots", kind: "print", position: { x: 800, y: 200 }, config: { num: 5 } },
    { id: "windowed", kind: "window", position: { x: 400, y: 400 }, config: { windowMs: 3000, slideMs: 1000 } },
    { id: "windowCount", kind: "print", position: { x: 600, y: 400 }, config: { num: 3 } },
  ],
  edges: [
    { id: "e1", source: "queue", sourcePort: "out", target: "parse", targetPort: "in" },
    { id: "e2", source: "parse", sourcePort: "deadLetter", target: "unparsable", targetPort: "in" },
    { id: "e3", source: "parse", sourcePort: "out", target: "byAccount", targetPort: "in" },
    { id: "e4", source: "byAccount", sourcePort: "out", target: "evaluate", targetPort: "in" },
    { id: "e5", source: "evaluate", sourcePort: "out", target: "flags", targetPort: "in" },
    { id: "e6", source: "evaluate", sourcePort: "snapshots", target: "snapshots", targetPort: "in" },
    { id: "e7", source: "queue", sourcePort: "out", target: "windowed", targetPort: "in" },
    { id: "e8", source: "windowed", sourcePort: "out", target: "windowCount", targetPort: "in" },
  ],
};

async function startRun(request: APIRequestContext, document: PipelineDocument): Promise<{ pipelineId: string; runId: string }> {
  const created = await request.post("/api/pipelines", { data: document });
  expect(created.status()).toBe(201);
  const { id: pipelineId } = await created.json();
  const started = await request.post(`/api/pipelines/${pipelineId}/run`, { data: { action: "start" } });
  expect(started.status(), await started.text()).toBe(201);
  return { pipelineId, runId: (await started.json()).runId };
}

/** Every table wider than its card (section), with the widths, measured in the page. */
async function overflowingTables(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    for (const table of document.querySelectorAll<HTMLTableElement>("table")) {
      const card = table.closest<HTMLElement>("section, .dash-section") ?? table.parentElement!;
      const t = table.getBoundingClientRect();
      const c = card.getBoundingClientRect();
      const name = table.dataset.testid ?? table.className;
      if (t.right > c.right + 1 || t.left < c.left - 1) out.push(`${name}: table ${Math.round(t.left)}..${Math.round(t.right)} outside its card ${Math.round(c.left)}..${Math.round(c.right)}`);
      // A scroll box between table and card that scrolls sideways also hides columns.
      for (let el: HTMLElement | null = table.parentElement; el && el !== card.parentElement; el = el.parentElement) {
        if (el.scrollWidth > el.clientWidth + 1) out.push(`${name}: ${el.tagName.toLowerCase()}.${el.className} scrolls sideways (${el.scrollWidth} > ${el.clientWidth})`);
      }
    }
    return out;
  });
}

const chartShot = (page: Page, locator: ReturnType<Page["locator"]>, name: string) => locator.screenshot({ path: `test-results/screenshots/charts/${name}.png` });

test.describe.configure({ timeout: 300_000 });
test.use({ viewport: { width: 1024, height: 900 } });

test("at 1024 px: charts with scaled axes and counts, rounded values, no table overflows its card; Stop asks; the ended run's state stays readable", async ({ page, request }) => {
  const { pipelineId, runId } = await startRun(request, structuredClone(operated));
  await page.goto(`/runs/${runId}`);
  await expect(page.getByTestId("batch-table").locator("tbody tr").nth(4)).toBeVisible({ timeout: 60_000 });
  const flags = page.getByTestId("fraud-flags");
  await expect(flags.locator("tbody tr").first()).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId("dead-letters").locator("tbody tr").first()).toBeVisible({ timeout: 30_000 });
  // Paused, so that the page holds still for its screenshots and measurements.
  await page.getByRole("button", { name: "Pause", exact: true }).click();
  await expect(page.getByTestId("run-status")).toHaveAttribute("data-status", "paused", { timeout: 30_000 });

  // The statistics: four timelines and four histograms, each with axes; histograms count batches.
  for (const row of ["stats-input-rate", "stats-scheduling-delay", "stats-processing-time", "stats-total-delay"]) {
    const timeline = page.getByTestId(row).locator("figure[data-chart='timeline']");
    const histogram = page.getByTestId(row).locator("figure[data-chart='histogram']");
    await expect(timeline.locator(".recharts-yAxis-tick-labels text").first()).toBeVisible();
    await expect(histogram.locator(".recharts-xAxis-tick-labels text").first()).toBeVisible();
    await expect(histogram.locator(".recharts-label", { hasText: "batches" })).toBeVisible();
    // Counts on the bars: they add up to the batches the histogram holds (at least the five seen).
    const counts = await histogram.locator(".recharts-label-list text").allTextContents();
    expect(counts.map(Number).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(5);
    await chartShot(page, timeline, `${row}-timeline`);
    await chartShot(page, histogram, `${row}-histogram`);
  }
  // Time ticks carry the hour; delay ticks keep number and unit on one line.
  const timeTicks = await page.getByTestId("stats-total-delay").locator("figure[data-chart='timeline'] .recharts-xAxis-tick-labels text").allTextContents();
  for (const t of timeTicks) expect(t).toMatch(/^\d\d:\d\d:\d\d$/);
  const delayTicks = page.getByTestId("stats-total-delay").locator("figure[data-chart='timeline'] .recharts-yAxis-tick-labels text");
  for (const tick of await delayTicks.all()) {
    await expect(tick.locator("tspan")).toHaveCount(1);
    expect(await tick.textContent()).toMatch(/^[\d.,]+\u00a0(ms|s)$/);
  }

  // The window timeline and the state's top keys, which names the field it plots.
  await expect(page.getByTestId("window-timeline").first()).toBeVisible();
  await chartShot(page, page.getByTestId("window-timeline").first(), "window-timeline");
  const stateChart = page.getByTestId("state-chart");
  await expect(stateChart.locator(".recharts-label")).toHaveText("state.totalSpending");
  await expect(stateChart.locator(".recharts-line")).toHaveCount(5);
  const strokes = await stateChart.locator(".recharts-line path.recharts-curve").evaluateAll((ps) => ps.map((p) => getComputedStyle(p).stroke));
  expect(new Set(strokes).size).toBe(5);
  await chartShot(page, stateChart, "state-top-keys");

  // State: an object's fields as columns, numbers rounded (exact on hover), JSON on demand.
  const state = page.getByTestId("state-table");
  await expect(state.locator("tbody tr")).toHaveCount(25, { timeout: 30_000 });
  await expect(state).toHaveAttribute("data-columns", /totalSpending,numTx,windowSpendingAvg,averageTx/);
  expect(await state.innerText()).not.toMatch(/\d\.\d{7,}/);
  const cells = await state.locator("td[data-field='averageTx']").evaluateAll((tds) => tds.map((td) => ({ shown: td.textContent ?? "", exact: td.getAttribute("title") ?? "" })));
  for (const c of cells) expect(Number(c.exact.replace(/,/g, ""))).toBeCloseTo(Number(c.shown.replace(/,/g, "")), 2);
  await state.getByRole("button", { name: `JSON of ${account(0)}` }).click();
  await expect(page.getByTestId("state-json")).toContainText('"totalSpending"');
  expect(await page.getByTestId("print-console").first().innerText()).not.toMatch(/\d\.\d{7,}/);
  // Two print nodes print every batch: the console counts batches, not node outputs.
  const printedBatches = Number((await page.getByTestId("print-batches").innerText()).match(/last (\d+) batch/)![1]);
  const [done, active] = (await page.getByTestId("statistics").locator("h2 small").innerText()).match(/\d+/g)!.map(Number);
  expect(printedBatches).toBeGreaterThan(0);
  expect(printedBatches).toBeLessThanOrEqual(done + active + 1);

  // Layout at 1024 px: no table overflows its card, with a batch's details open too.
  await page.getByTestId("batch-table").locator("tbody tr").nth(2).click();
  await expect(page.getByTestId("batch-details")).toBeVisible();
  await page.locator("section[aria-label='Streams'] tr[data-stream]").first().click();
  expect(await overflowingTables(page)).toEqual([]);
  await page.screenshot({ path: "test-results/screenshots/charts/dashboard-1024.png", fullPage: true });
  // Wider, the batches and their details sit side by side: still no table overflows.
  await page.setViewportSize({ width: 1280, height: 900 });
  await expect.poll(() => overflowingTables(page)).toEqual([]);
  await page.setViewportSize({ width: 1024, height: 900 });

  // Stop asks first: Cancel keeps the run going, then stopping ends it.
  await page.getByRole("button", { name: "Stop", exact: true }).click();
  const dialog = page.getByRole("alertdialog", { name: "Stop this run?" });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole("button", { name: "Cancel" })).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId("run-status")).not.toHaveAttribute("data-status", /stopp/);
  await page.getByRole("button", { name: "Stop", exact: true }).click();
  await dialog.getByRole("button", { name: "Stop the run" }).click();
  await expect(page.getByTestId("run-status")).toHaveAttribute("data-status", "stopped", { timeout: 30_000 });

  // The ended run's state: its last stored snapshot, paged and searched, on the open page...
  await expect(page.getByTestId("state-heading")).toContainText("last stored snapshot");
  await expect(page.getByTestId("state-range")).toContainText(`1–25 of ${ACCOUNTS}`);
  await page.getByTestId("state-search").fill(account(7));
  await expect(state.locator("tbody tr")).toHaveCount(1);
  await expect(state).toContainText(account(7));

  // ...and after a reload, when the page reads the run from the database.
  await page.reload();
  await expect(page.getByTestId("stored-run-notice")).toBeVisible();
  await expect(page.getByTestId("state-heading")).toContainText("last stored snapshot");
  await expect(page.getByTestId("state-range")).toContainText(`1–25 of ${ACCOUNTS}`);
  await page.locator("section[aria-label='State']").getByRole("button", { name: "Next" }).click();
  await expect(page.getByTestId("state-range")).toContainText(`26–${ACCOUNTS} of ${ACCOUNTS}`);
  await expect(state.locator("tbody tr")).toHaveCount(ACCOUNTS - 25);
  await page.getByTestId("state-search").fill(account(29));
  await expect(state.locator("tbody tr")).toHaveCount(1);
  expect(await overflowingTables(page)).toEqual([]);
  await page.locator("section[aria-label='State']").screenshot({ path: "test-results/screenshots/charts/ended-run-state.png" });

  // The runs list names the run and gives its duration and batches.
  await page.goto("/runs");
  const row = page.getByTestId("runs-table").locator(`tr[data-run-id="${runId}"]`);
  await expect(row.getByRole("link")).toHaveText("Operated ledger (e2e)");
  await expect(row.getByTestId("run-batches")).toHaveText(/^[1-9]\d*$/);
  await expect(row.getByTestId("run-duration")).toHaveText(/\d+ (s|min)/);
  expect(await (await request.get(`/api/runs/${runId}/state?query=${encodeURIComponent('{"kind":"list"}')}`)).json()).toMatchObject({ ok: true });
  void pipelineId;
});
