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

  // Cells are typed by column: a new account of digits only stays text (the stream's keys are
  // strings), a number column refuses text, naming the row, before anything is sent.
  await page.getByRole("button", { name: "Add row" }).click();
  await editor.getByLabel("account_number of row 5").fill("1234");
  await editor.getByLabel("average_transaction of row 5").fill("lots");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByTestId("table-message")).toHaveText('Not saved: row 5: average_transaction "lots" is not a number');
  await editor.getByLabel("average_transaction of row 5").fill("42");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByTestId("table-message")).toContainText("Saved");
  const typed = await (await request.get("/api/tables/account_aggregates")).json();
  expect(typed.rows[4]).toEqual({ account_number: "1234", average_transaction: 42 });
  const numericKey = await request.put("/api/tables/account_aggregates", { data: { rows: [{ account_number: 1234, average_transaction: 42 }] } });
  expect(numericKey.status()).toBe(400);
  expect((await numericKey.json()).problems).toEqual(["row 1: account_number must be text, got 1234"]);

  // With every row removed the columns stay, so the table can be filled again.
  for (let i = 5; i >= 1; i--) await editor.getByRole("button", { name: "Remove" }).first().click();
  await expect(editor.locator("tbody tr")).toHaveCount(0);
  await page.getByRole("button", { name: "Add row" }).click();
  await expect(editor.getByLabel("account_number of row 1")).toBeVisible();

  // Put the article's value back, so that other specs see the seeded table.
  await request.put("/api/tables/account_aggregates", { data: { rows: seeded.rows } });
});
