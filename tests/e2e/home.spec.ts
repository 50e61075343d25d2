import { expect, test } from "@playwright/test";

test("the home page lists the pipelines, with the sample pipeline of a new installation", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1, name: "Pipelines" })).toBeVisible();
  await expect(page.getByRole("heading", { level: 2, name: /Your pipelines/ })).toBeVisible();
  const list = page.getByTestId("pipeline-list");
  await expect(list.getByRole("link", { name: "Transactions per account" })).toBeVisible();
  await expect(list).toContainText("5 nodes");
  // The live channel (socket.io on the same port) connects.
  await expect(page.getByTestId("connection-status")).toHaveText("Live");
  await page.screenshot({ path: "test-results/screenshots/home.png", fullPage: true });

  await list.getByRole("link", { name: "Transactions per account" }).click();
  // level 1: the editor's title (the home page's example and pipeline cards carry the name too).
  await expect(page.getByRole("heading", { level: 1, name: "Transactions per account" })).toBeVisible();
  await expect(page.getByTestId("pipeline-streams")).toContainText("transactionGenerator");
});
