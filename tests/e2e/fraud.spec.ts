import fs from "node:fs";
import { expect, test, type Page } from "@playwright/test";

// The article's fraud detector as a new user meets it: one click on a template on the home page
// starts it on the built-in deterministic generator, and its possible frauds appear in the fraud
// panel within a minute, with the numbers compared, a trace to their batches and transactions,
// filters and a CSV export. The seeded historic averages (123-ABC-789 500, 456-DEF-456 60,
// 333-XYZ-999 5, 987-CBA-321 250) mean that only 987-CBA-321, whose 306.21 and 4322.33
// transactions average 2314.27, is ever flagged.

const FLAGGED_ACCOUNT = "987-CBA-321";

/** One click on the template's Run button; the browser lands on the new run's dashboard. */
async function startTemplate(page: Page, name: string): Promise<string> {
  await page.goto("/");
  // A new copy: the pipeline an earlier test made from this template may have been edited since.
  await page.getByRole("button", { name: `Run a new copy of ${name}` }).click();
  await page.waitForURL(/\/runs\/[^/]+$/, { timeout: 30_000 });
  await expect(page.getByTestId("run-dashboard")).toBeVisible();
  return new URL(page.url()).pathname.split("/").pop()!;
}

/** The fraud panel's rows as the user reads them: account, rule, and the cells they show. */
async function flagRows(page: Page) {
  const rows = page.getByTestId("fraud-flags").locator("tbody tr");
  return rows.evaluateAll((trs) =>
    trs.map((tr) => ({
      account: tr.getAttribute("data-account"),
      rule: tr.getAttribute("data-rule"),
      cells: [...tr.querySelectorAll("td")].map((td) => td.textContent ?? ""),
    })),
  );
}

async function stop(page: Page) {
  await page.getByRole("button", { name: "Stop", exact: true }).click();
  await page.getByRole("alertdialog", { name: "Stop this run?" }).getByRole("button", { name: "Stop the run" }).click();
  await expect(page.getByTestId("run-status")).toHaveAttribute("data-status", "stopped", { timeout: 30_000 });
}

test.describe.configure({ timeout: 150_000 });

test("fraud detection with updateStateByKey: one click, flags of 987-CBA-321 within a minute, traced to batches and transactions", async ({ page }) => {
  const runId = await startTemplate(page, "Fraud detection (updateStateByKey)");
  const panel = page.getByRole("region", { name: "Fraud flags" });
  await expect(panel.getByTestId("fraud-flags").locator("tbody tr").first()).toBeVisible({ timeout: 60_000 });

  // Only the historic-average rules fire, only for 987-CBA-321, against its history of 250.
  const rows = await flagRows(page);
  expect(new Set(rows.map((r) => r.account))).toEqual(new Set([FLAGGED_ACCOUNT]));
  for (const r of rows) {
    expect(["averageTx", "windowSpendingAvg"]).toContain(r.rule);
    expect(r.cells[6]).toBe("250.00");
    expect(r.cells[8]).toBe("2,000.00");
  }
  // A windowSpendingAvg flag: its number is the average of the transactions its trace lists,
  // 987-CBA-321's 306.21 and 4322.33 (how many of each depends on where the windows fall).
  // Opened first and read from the open row: a newer flag may arrive above it meanwhile.
  await panel.locator('tbody tr[data-rule="windowSpendingAvg"]').first().click();
  const openRow = panel.locator("tbody tr[data-selected]");
  await expect(openRow).toHaveAttribute("data-rule", "windowSpendingAvg");
  const fired = Number((await openRow.locator("td[data-fired]").textContent())!.replaceAll(",", ""));
  expect(fired - 250).toBeGreaterThan(2000);

  // The trace: the comparison, the transactions behind the flag, and its window's batches.
  const details = panel.getByTestId("flag-details");
  await expect(details.getByTestId("flag-explanation")).toHaveText(/^windowSpendingAvg [\d,.]+ − historic 250\.00 = [\d,.]+ > 2,000\.00$/);
  const txRows = details.getByTestId("flag-transactions").locator("tbody tr");
  await expect(txRows.first()).toBeVisible();
  const txs = await txRows.evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent ?? "")));
  const amounts = txs.map((cells) => Number(cells[4].replaceAll(",", "")));
  for (const cells of txs) expect(cells[2]).toBe(FLAGGED_ACCOUNT);
  for (const a of amounts) expect([306.21, 4322.33]).toContain(a);
  expect(amounts.reduce((x, y) => x + y, 0) / amounts.length).toBeCloseTo(fired, 2);
  await page.screenshot({ path: "test-results/screenshots/fraud-updateStateByKey.png", fullPage: true });

  const batchButton = details.getByRole("button", { name: /records$/ }).last();
  await batchButton.click();
  await expect(page.getByTestId("batch-details")).toBeVisible();
  await expect(page.getByTestId("batch-details")).toContainText("Details of batch at");

  // Filters: the account list holds the flagged accounts only; then one rule.
  const accountOptions = await panel.getByLabel("Filter flags by account").locator("option").allTextContents();
  expect(accountOptions.map((o) => o.replace(/ \(\d+\)$/, ""))).toEqual(["all", FLAGGED_ACCOUNT]);
  await panel.getByLabel("Filter flags by rule").selectOption("windowSpendingAvg");
  await expect.poll(async () => new Set((await flagRows(page)).map((r) => r.rule))).toEqual(new Set(["windowSpendingAvg"]));
  await expect(panel.getByTestId("flag-count")).toContainText("matching");

  // The export holds what the filter shows, as a CSV file the browser saves.
  expect(await panel.getByTestId("flags-csv").getAttribute("href")).toBe(`/api/runs/${runId}/flags/csv?rule=windowSpendingAvg`);
  const [download] = await Promise.all([page.waitForEvent("download"), panel.getByTestId("flags-csv").click()]);
  expect(download.suggestedFilename()).toBe(`flags-${runId}-windowSpendingAvg.csv`);
  const [header, ...lines] = fs.readFileSync((await download.path())!, "utf8").trimEnd().split("\r\n");
  expect(header.split(",")).toContain("window_spending_avg");
  expect(lines.length).toBeGreaterThan(0);
  for (const line of lines) expect(line).toContain(`,${FLAGGED_ACCOUNT},windowSpendingAvg,`);

  await stop(page);
});

test("fraud detection with mapWithState: one click, every 4322.33 transaction flagged by the amount rule, with the state panel", async ({ page }) => {
  await startTemplate(page, "Fraud detection (mapWithState)");
  const panel = page.getByRole("region", { name: "Fraud flags" });
  await expect(panel.getByTestId("fraud-flags").locator("tbody tr").first()).toBeVisible({ timeout: 60_000 });

  const rows = await flagRows(page);
  expect(new Set(rows.map((r) => r.account))).toEqual(new Set([FLAGGED_ACCOUNT]));
  expect(new Set(rows.map((r) => r.rule))).toEqual(new Set(["amount>4000"]));
  for (const r of rows) {
    expect(r.cells[7]).toBe("4,322.33");
    // The producer sends 4322.33 at every step 7 mod 8 (its amounts are walked round-robin).
    expect(Number(r.cells[9]) % 8).toBe(7);
  }
  // No transaction is flagged twice, even as its window's list is reduced with the inverse.
  const ids = rows.map((r) => r.cells[9]);
  expect(new Set(ids).size).toBe(ids.length);

  await panel.locator("tbody tr").first().click();
  const details = panel.getByTestId("flag-details");
  await expect(details.getByTestId("flag-explanation")).toHaveText("amount 4,322.33 > 4,000.00");
  await expect(details.getByTestId("flag-transactions").locator("tbody tr[data-fired]")).toHaveCount(1);
  // The state panel shows the accounts' AggregateData from stateSnapshots.
  await expect(page.getByRole("region", { name: "State", exact: true })).toContainText(FLAGGED_ACCOUNT, { timeout: 20_000 });
  await page.screenshot({ path: "test-results/screenshots/fraud-mapWithState.png", fullPage: true });

  await stop(page);
});
