import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";

// axe-core on the pages people use most: no serious or critical violation, light and dark.

async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}`);
}

for (const scheme of ["light", "dark"] as const) {
  test(`home, editor and run pages have no serious accessibility violations (${scheme})`, async ({ page, request }) => {
    // Three pages and a run: more than the default minute on a shared machine.
    test.slow();
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto("/");
    await expect(page.getByTestId("pipeline-list")).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);

    const { id } = (await (await request.post("/api/pipelines", { data: { template: "streamingBasics" } })).json()) as { id: string };
    await page.goto(`/pipelines/${id}`);
    await expect(page.getByTestId("node-countByValue")).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);

    const started = await request.post(`/api/pipelines/${id}/run`, { data: { action: "start" } });
    const { runId } = (await started.json()) as { runId: string };
    try {
      await page.goto(`/runs/${runId}`);
      await expect(page.getByTestId("run-dashboard")).toBeVisible();
      await expect(page.getByTestId("batch-table").locator("tbody tr").first()).toBeVisible({ timeout: 20_000 });
      expect(await seriousViolations(page)).toEqual([]);
    } finally {
      await request.post(`/api/pipelines/${id}/run`, { data: { action: "stop", runId } });
      await request.delete(`/api/pipelines/${id}`);
    }
  });
}
