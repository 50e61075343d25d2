import { expect, test } from "@playwright/test";

// The historic averages the fraud templates join with live in a table of the app's database,
// seeded with the article's four accounts and editable in the browser.
test("the historic averages table is seeded, editable and saved; bad rows are refused whole", async ({ page, request }) => {
  const seeded = await (await request.get("/api/tables/account_aggregates")).json();
  expect(seeded.rows).toEqual(
    expect.arrayContaining([
      { account_number: "123-ABC-789", average_transaction: 500 },
      { account_number: "987-CBA-321", average_transaction: 250 },
    ]),
  );
  expect(seeded.rows).toHaveLength(4);

  await page.goto("/");
  await page.getByRole("link", { name: "Historic averages" }).click();
  const editor = page.getByTestId("table-editor");
  await expect(editor.getByLabel("account_number of row 4")).toHaveValue("987-CBA-321");
  await editor.getByLabel("average_transaction of row 4").fill("1234.5");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByTestId("table-message")).toContainText("takes effect on the next run");
  await page.screenshot({ path: "test-results/screenshots/historic-averages.png", fullPage: true });

  await page.reload();
  await expect(page.getByTestId("table-editor").getByLabel("average_transaction of row 4")).toHaveValue("1234.5");
  const after = await (await request.get("/api/tables/account_aggregates")).json();
  expect(after.rows[3]).toEqual({ account_number: "987-CBA-321", average_transaction: 1234.5 });

  const bad = await request.put("/api/tables/account_aggregates", { data: { rows: [{ account_number: "x", average_transaction: { nested: 1 } }] } });
  expect(bad.status()).toBe(400);
  expect((await bad.json()).error).toContain('invalid rows for table "account_aggregates"');
  const unchanged = await (await request.get("/api/tables/account_aggregates")).json();
  expect(unchanged.rows).toHaveLength(4);

  // Put the article's value back, so that other specs see the seeded table.
  await request.put("/api/tables/account_aggregates", { data: { rows: seeded.rows } });
});
