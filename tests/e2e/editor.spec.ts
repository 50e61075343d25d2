import { expect, test, type Page } from "@playwright/test";
import { inp, out, place, wire } from "./helpers/editor";

test.use({ viewport: { width: 1600, height: 1000 } });

const shot = (page: Page, name: string) => page.screenshot({ path: `test-results/screenshots/${name}.png`, fullPage: true });

test("build queue → map → reduceByKey → print by drag and drop, see refused wires and window errors, run it, reload", async ({ page }) => {
  await page.goto("/pipelines/new");
  await page.getByRole("button", { name: "Create from Blank" }).click();
  await expect(page.getByTestId("editor")).toBeVisible();
  await expect(page.getByTestId("save-state")).toHaveText(/Saved/);

  await place(page, "queue", 100, 80);
  await place(page, "map", 340, 80);
  await place(page, "reduceByKey", 580, 80);
  await place(page, "print", 820, 80);
  for (const id of ["queue1", "map1", "reduceByKey1", "print1"]) await expect(page.getByTestId(`node-${id}`)).toBeVisible();
  // Unwired nodes are diagnosed on the nodes and in the problems list.
  await expect(page.getByTestId("problems")).toContainText('"Map" (map1) input "in" is not connected');

  await wire(page, out(page, "queue1"), inp(page, "map1"));
  await expect(page.locator(".react-flow__edge")).toHaveCount(1);

  // map gives plain records: wiring it into reduceByKey is refused, visibly.
  await wire(page, out(page, "map1"), inp(page, "reduceByKey1"));
  await expect(page.getByTestId("notice")).toContainText("Connection refused");
  await expect(page.getByTestId("notice")).toContainText("needs a pair stream");
  await expect(page.locator(".react-flow__edge")).toHaveCount(1);
  await shot(page, "editor-refused-wire");

  // Configure map to return pairs: x % 4 → 1.
  await page.getByTestId("node-map1").click();
  const code = page.getByTestId("code-fn").locator(".cm-content");
  await code.fill("(x) => [x % 4, 1]");
  await page.getByTestId("field-pairs").getByRole("checkbox").check();
  await wire(page, out(page, "map1"), inp(page, "reduceByKey1"));
  await wire(page, out(page, "reduceByKey1"), inp(page, "print1"));
  await expect(page.locator(".react-flow__edge")).toHaveCount(3);

  // A window that is not a multiple of the batch interval.
  await place(page, "window", 340, 330);
  await wire(page, out(page, "queue1"), inp(page, "window1"));
  await page.getByTestId("node-window1").click();
  await page.getByTestId("field-windowMs").locator("input").fill("2500");
  await expect(page.getByTestId("problems")).toContainText("window 2500 ms is not a multiple of the parent's slide 1000 ms; use 3000 ms");
  await expect(page.getByTestId("node-window1")).toHaveClass(/has-error/);
  await expect(page.getByTestId("field-windowMs")).toContainText("not a multiple");
  await page.getByTestId("run").click();
  await expect(page.getByTestId("notice")).toContainText("Run refused");
  await shot(page, "editor-window-error");

  // Delete the window node with the keyboard; undo brings it back, redo removes it again.
  await page.getByTestId("node-window1").click();
  await page.keyboard.press("Delete");
  await expect(page.getByTestId("node-window1")).toHaveCount(0);
  await page.keyboard.press("Control+z");
  await expect(page.getByTestId("node-window1")).toHaveCount(1);
  await page.keyboard.press("Control+Shift+z");
  await expect(page.getByTestId("node-window1")).toHaveCount(0);
  await expect(page.getByTestId("problems")).toContainText("0 errors");

  // Run: the printed batches appear in the console.
  await page.getByTestId("run").click();
  const console = page.getByTestId("run-console");
  await expect(console).toContainText("Time:", { timeout: 30_000 });
  await expect(console).toContainText("(1,1)", { timeout: 30_000 });
  await shot(page, "editor-run");
  await page.getByTestId("stop").click();
  await expect(page.getByTestId("run-status")).toHaveText(/stopp/, { timeout: 15_000 });

  // Reload: the pipeline was saved.
  await expect(page.getByTestId("save-state")).toHaveText(/Saved/);
  await page.reload();
  for (const id of ["queue1", "map1", "reduceByKey1", "print1"]) await expect(page.getByTestId(`node-${id}`)).toBeVisible();
  await expect(page.locator(".react-flow__edge")).toHaveCount(3);
  await expect(page.getByTestId("versions")).toContainText("Restore");
  await shot(page, "editor-reloaded");
});

test("the streaming basics template opens without problems", async ({ page }) => {
  await page.goto("/pipelines/new");
  await page.getByRole("button", { name: "Create from Streaming basics" }).click();
  await expect(page.getByTestId("node-countByValue")).toBeVisible();
  await expect(page.getByTestId("problems")).toContainText("0 errors, 0 warnings");
  await shot(page, "editor-streaming-basics");
});

test("the REST API validates every payload, keeps versions and restores them", async ({ request }) => {
  const before = (await (await request.get("/api/pipelines")).json()).pipelines.length;
  const bad = await request.post("/api/pipelines", { data: { schemaVersion: 2, name: "", nodes: [], edges: [] } });
  expect(bad.status()).toBe(400);
  expect((await bad.json()).issues).toContainEqual({ path: "name", message: "a pipeline needs a name" });
  const newer = await request.post("/api/pipelines", { data: { schemaVersion: 99, name: "x", nodes: [], edges: [] } });
  expect(newer.status()).toBe(400);
  expect(JSON.stringify(await newer.json())).toContain("newer than this DStream Studio understands");
  expect((await (await request.get("/api/pipelines")).json()).pipelines.length).toBe(before);

  const created = await request.post("/api/pipelines", { data: { template: "windowExplorer" } });
  expect(created.status()).toBe(201);
  const { id, document } = await created.json();
  const renamed = await request.put(`/api/pipelines/${id}`, { data: { ...document, name: "Renamed" } });
  expect((await renamed.json()).version).toBe(2);
  expect((await request.put(`/api/pipelines/${id}`, { data: { ...document, nodes: "nope" } })).status()).toBe(400);
  const versions = (await (await request.get(`/api/pipelines/${id}/versions`)).json()).versions;
  // "Window explorer", or "Window explorer (2)"… when earlier tests made one from the template too.
  expect(document.name).toMatch(/^Window explorer( \(\d+\))?$/);
  expect(versions).toEqual([expect.objectContaining({ version: 1, name: document.name })]);
  const restored = await request.post(`/api/pipelines/${id}/versions`, { data: { version: 1 } });
  expect(await restored.json()).toMatchObject({ version: 3, document: { name: document.name } });

  const validate = await request.post("/api/pipelines/validate", {
    data: { ...document, nodes: document.nodes.map((n: { id: string; config: object }) => (n.id === "window" ? { ...n, config: { windowMs: 2500, slideMs: 2000 } } : n)) },
  });
  const body = await validate.json();
  expect(body.ok).toBe(false);
  expect(body.diagnostics).toContainEqual(expect.objectContaining({ nodeId: "window", field: "windowMs", code: "window-not-multiple" }));

  expect((await request.delete(`/api/pipelines/${id}`)).status()).toBe(204);
  expect((await request.get(`/api/pipelines/${id}`)).status()).toBe(404);
});
