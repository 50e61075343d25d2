import { expect, test, type Locator, type Page } from "@playwright/test";
import { inp, out, place, wire } from "./helpers/editor";

// The designer as people use it: one undo per action, themes, keyboard, small windows,
// versions that are not one per keystroke, diagnostics in the user's terms.

const shot = (page: Page, name: string) => page.screenshot({ path: `test-results/screenshots/${name}.png` });

async function createFrom(page: Page, template: string): Promise<string> {
  await page.goto("/pipelines/new");
  await page.getByRole("button", { name: `Create from ${template}` }).click();
  await expect(page.getByTestId("editor")).toBeVisible();
  return new URL(page.url()).pathname.split("/").pop()!;
}

/** The relative luminance (0 dark … 1 light) of an element's computed background colour. */
async function backgroundLuminance(el: Locator): Promise<number> {
  return el.evaluate((node) => {
    const m = /rgba?\(([\d.]+), ([\d.]+), ([\d.]+)(?:, ([\d.]+))?\)/.exec(getComputedStyle(node).backgroundColor);
    if (!m || m[4] === "0") return -1;
    const [r, g, b] = [m[1], m[2], m[3]].map((c) => Number(c) / 255);
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  });
}

test("deleting a wired node, then one Ctrl+Z, brings back the node with its wires", async ({ page }) => {
  await createFrom(page, "Streaming basics");
  const edges = page.locator(".react-flow__edge");
  await expect(edges).toHaveCount(6);
  await page.getByTestId("node-countByValue").click();
  await page.keyboard.press("Delete");
  await expect(page.getByTestId("node-countByValue")).toHaveCount(0);
  await expect(edges).toHaveCount(4);
  await page.keyboard.press("Control+z");
  await expect(page.getByTestId("node-countByValue")).toHaveCount(1);
  await expect(edges).toHaveCount(6);
  await page.keyboard.press("Control+Shift+z");
  await expect(page.getByTestId("node-countByValue")).toHaveCount(0);
  await expect(edges).toHaveCount(4);
});

test("dark mode: a remembered toggle, the OS setting, and legible code fields, minimap and controls", async ({ page }) => {
  await page.emulateMedia({ colorScheme: "light" });
  await createFrom(page, "Streaming basics");
  const html = page.locator("html");
  await expect(html).toHaveAttribute("data-theme", "light");
  await page.getByTestId("toggle-minimap").click();
  await expect(page.locator(".react-flow__minimap")).toBeVisible();
  await page.getByTestId("node-mod4").click();
  const code = page.getByTestId("code-fn").locator(".cm-editor");
  await expect(code).toBeVisible();
  expect(await backgroundLuminance(code)).toBeGreaterThan(0.8);

  await page.getByTestId("theme-toggle").selectOption("dark");
  await expect(html).toHaveAttribute("data-theme", "dark");
  // Code, minimap and zoom controls turn dark; the code's text stays light on them.
  await expect.poll(() => backgroundLuminance(code)).toBeLessThan(0.2);
  const text = await code.locator(".cm-content").evaluate((n) => getComputedStyle(n).color);
  expect(text).not.toBe("rgb(0, 0, 0)");
  expect(await backgroundLuminance(page.locator(".react-flow__minimap"))).toBeLessThan(0.3);
  expect(await backgroundLuminance(page.locator(".react-flow__controls-button").first())).toBeLessThan(0.3);
  await page.setViewportSize({ width: 1440, height: 900 });
  await shot(page, "editor-dark-1440x900");

  // Remembered in this browser.
  await page.reload();
  await expect(html).toHaveAttribute("data-theme", "dark");
  // "System" follows the OS.
  await page.getByTestId("theme-toggle").selectOption("system");
  await expect(html).toHaveAttribute("data-theme", "light");
  await page.emulateMedia({ colorScheme: "dark" });
  await expect(html).toHaveAttribute("data-theme", "dark");
  await page.setViewportSize({ width: 1024, height: 700 });
  await shot(page, "editor-dark-1024x700");
  await page.emulateMedia({ colorScheme: "light" });
  await expect(html).toHaveAttribute("data-theme", "light");
  await shot(page, "editor-light-1024x700");
  await page.setViewportSize({ width: 1440, height: 900 });
  await shot(page, "editor-light-1440x900");
});

test("at 1024x700 the canvas keeps most of the window, nodes stay readable, the minimap is small and can be hidden", async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 700 });
  await createFrom(page, "Window explorer");
  const canvas = (await page.getByTestId("canvas").boundingBox())!;
  expect(canvas.width).toBeGreaterThanOrEqual(580);
  expect(canvas.height).toBeGreaterThanOrEqual(380);
  // Fitting the view never shrinks nodes below 60 %.
  const scale = await page.locator(".react-flow__viewport").evaluate((n) => new DOMMatrix(getComputedStyle(n).transform).a);
  expect(scale).toBeGreaterThanOrEqual(0.6);
  // Hidden at first on a small window; when shown it covers under a tenth of the canvas.
  await expect(page.locator(".react-flow__minimap")).toHaveCount(0);
  await page.getByTestId("toggle-minimap").click();
  const minimap = (await page.locator(".react-flow__minimap").boundingBox())!;
  expect(minimap.width * minimap.height).toBeLessThan((canvas.width * canvas.height) / 10);
  // Panels collapse for an even larger canvas.
  await page.getByTestId("toggle-panels").click();
  await page.getByTestId("toggle-bottom").click();
  const wide = (await page.getByTestId("canvas").boundingBox())!;
  expect(wide.width).toBeGreaterThan(1000);
  expect(wide.height).toBeGreaterThan(canvas.height + 100);
  await shot(page, "editor-1024x700-collapsed");
  await page.getByTestId("toggle-panels").click();
  await page.getByTestId("toggle-bottom").click();
});

test("on an empty canvas: a drop hint, Spark's missing-output error before Run, and the first node stays where it is dropped", async ({ page }) => {
  await createFrom(page, "Blank");
  await expect(page.getByTestId("drop-hint")).toBeVisible();
  await expect(page.getByTestId("problems")).toContainText("1 errors");
  await expect(page.getByTestId("problems")).toContainText("No output operations registered, so nothing to execute");
  await expect(page.getByTestId("problems")).not.toContainText("No problems");
  await page.getByTestId("run").click();
  await expect(page.getByTestId("notice")).toContainText("Run refused");

  const canvas = (await page.getByTestId("canvas").boundingBox())!;
  await place(page, "queue", 300, 200);
  const node = page.getByTestId("node-queue1");
  await expect(node).toBeVisible();
  await expect(page.getByTestId("drop-hint")).toHaveCount(0);
  const box = (await node.boundingBox())!;
  // The editor puts the node's top-left corner 80 px left of and 20 px above the pointer.
  expect(Math.abs(box.x - (canvas.x + 300 - 80))).toBeLessThan(8);
  expect(Math.abs(box.y - (canvas.y + 200 - 20))).toBeLessThan(8);

  // Wires carry an arrowhead at their target.
  await place(page, "print", 650, 200);
  await wire(page, out(page, "queue1"), inp(page, "print1"));
  await expect(page.locator(".react-flow__edge")).toHaveCount(1);
  await expect(page.locator(".react-flow__edge-path")).toHaveAttribute("marker-end", /url\(/);
  await expect(page.getByTestId("problems")).toContainText("0 errors");
});

test("a syntax error in a function is reported in the user's own terms", async ({ page }) => {
  await createFrom(page, "Blank");
  await place(page, "queue", 120, 100);
  await place(page, "reduceByKey", 420, 100);
  await page.getByTestId("node-reduceByKey1").click();
  const code = page.getByTestId("code-fn").locator(".cm-content");
  await code.fill("(a, b) => a +");
  const field = page.getByTestId("field-fn");
  await expect(field).toContainText("line 1, column 13");
  await expect(field).toContainText("ends too early after `+`");
  await expect(page.getByTestId("problems")).not.toContainText("')'");
  await expect(page.getByTestId("problems")).not.toContainText("Unexpected token");
});

test("keyboard: palette items are focusable and added with Enter, Import is reached by Tab, nodes and wires show focus", async ({ page }) => {
  await createFrom(page, "Blank");
  await page.getByRole("textbox", { name: "Search nodes" }).fill("queue");
  await page.keyboard.press("Tab");
  await expect(page.getByTestId("palette-queue")).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("node-queue1")).toBeVisible();
  // With queue1 selected, the next node goes to its right.
  await page.getByRole("textbox", { name: "Search nodes" }).fill("print");
  await page.keyboard.press("Tab");
  await expect(page.getByTestId("palette-print")).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("node-print1")).toBeVisible();
  const q = (await page.getByTestId("node-queue1").boundingBox())!;
  const p = (await page.getByTestId("node-print1").boundingBox())!;
  expect(p.x).toBeGreaterThan(q.x + q.width);
  expect(Math.abs(p.y - q.y)).toBeLessThan(4);

  await page.getByTestId("export").focus();
  await page.keyboard.press("Tab");
  await expect(page.getByTestId("import-button")).toBeFocused();

  // A wire and a node reached with the keyboard show a focus ring (React Flow puts wires first).
  await wire(page, out(page, "queue1"), inp(page, "print1"));
  await page.getByRole("textbox", { name: "Search nodes" }).focus();
  const isActive = (l: Locator) => l.evaluate((n) => n === document.activeElement);
  const edge = page.locator(".react-flow__edge").first();
  for (let i = 0; i < 60 && !(await isActive(edge)); i++) await page.keyboard.press("Tab");
  await expect(edge).toBeFocused();
  expect(await edge.locator(".react-flow__edge-path").evaluate((n) => getComputedStyle(n).strokeWidth)).toBe("3px");
  const node = page.locator(".react-flow__node").first();
  for (let i = 0; i < 10 && !(await isActive(node)); i++) await page.keyboard.press("Tab");
  await expect(node).toBeFocused();
  expect(await node.locator(".flow-node").evaluate((n) => getComputedStyle(n).outlineStyle)).toBe("solid");
});

test("autosave keeps a version per pause, not per edit; errors stay drafts; versions are named and compared", async ({ page, request }) => {
  const id = await createFrom(page, "Streaming basics");
  const versions = async () => ((await (await request.get(`/api/pipelines/${id}/versions`)).json()) as { versions: { version: number; label: string | null }[] }).versions;
  await page.getByTestId("node-mod4").click();
  const label = page.locator("#n-label");
  // Six edits a second apart (each one autosaved as the working copy), then a pause: one version.
  for (let i = 1; i <= 6; i++) {
    await label.fill(`mod ${i}`);
    await page.waitForTimeout(1000);
  }
  await expect(page.getByTestId("save-state")).toHaveText("Saved · v2", { timeout: 20_000 });
  expect((await versions()).map((v) => v.version)).toEqual([1]);
  expect(((await (await request.get(`/api/pipelines/${id}`)).json()) as { document: { nodes: { label?: string }[] } }).document.nodes.some((n) => n.label === "mod 6")).toBe(true);

  // A document with errors is saved (nothing is lost) but not kept as a version.
  await page.getByTestId("code-fn").locator(".cm-content").fill("(x) => x %");
  await expect(page.getByTestId("save-state")).toHaveText("Saved · edits since v2");
  await expect(page.getByTestId("keep-version")).toBeDisabled();
  await page.reload();
  await expect(page.getByTestId("save-state")).toHaveText("Saved · edits since v2");
  await expect(page.getByTestId("problems")).toContainText("function fn has a syntax error");
  await page.getByTestId("node-mod4").click();
  await page.getByTestId("code-fn").locator(".cm-content").fill("(x) => x % 3");
  await expect(page.getByTestId("keep-version")).toBeEnabled();
  await page.getByTestId("keep-version").click();
  await expect(page.getByTestId("save-state")).toHaveText("Saved · v3");
  expect((await versions()).map((v) => v.version)).toEqual([2, 1]);

  // Name a version, then compare the first one with the current document.
  page.once("dialog", (d) => void d.accept("before the relabel"));
  await page.getByTestId("version-1").getByRole("button", { name: "Name version 1" }).click();
  await expect(page.getByTestId("version-1")).toContainText("“before the relabel”");
  expect((await versions()).find((v) => v.version === 1)?.label).toBe("before the relabel");
  await page.getByTestId("version-1").getByRole("button", { name: "Diff" }).click();
  const diff = page.getByTestId("version-diff");
  await expect(diff).toContainText("nodes changed");
  await expect(diff).toContainText("mod4: label, fn");
  await shot(page, "editor-version-diff");
});

test("pipelines are renamed, duplicated and deleted from the home page, under a heading, with their last run", async ({ page, request }) => {
  const created = await request.post("/api/pipelines", { data: { template: "streamingBasics" } });
  const { id } = (await created.json()) as { id: string };
  await page.goto("/");
  await expect(page.getByRole("heading", { name: /Your pipelines/ })).toBeVisible();
  const row = page.getByTestId(`pipeline-${id}`);
  await expect(row.getByTestId("last-run")).toHaveText("never run");

  await row.getByRole("button", { name: /^Rename / }).click();
  await row.getByRole("textbox").fill("Basics, renamed");
  await row.getByRole("button", { name: "Save" }).click();
  await expect(row.getByRole("link", { name: "Basics, renamed" })).toBeVisible();
  expect(((await (await request.get(`/api/pipelines/${id}`)).json()) as { document: { name: string } }).document.name).toBe("Basics, renamed");

  await row.getByRole("button", { name: "Duplicate Basics, renamed" }).click();
  const copy = page.getByTestId("pipeline-list").getByRole("link", { name: "Basics, renamed (copy)", exact: true });
  await expect(copy).toBeVisible();

  page.once("dialog", (d) => {
    expect(d.message()).toContain("Delete the pipeline “Basics, renamed (copy)”");
    void d.accept();
  });
  await page.getByRole("button", { name: "Delete Basics, renamed (copy)" }).click();
  await expect(copy).toHaveCount(0);
  await expect(row).toBeVisible();
});

test("the management routes refuse client mistakes with 4xx and say why", async ({ request }) => {
  const { id } = (await (await request.post("/api/pipelines", { data: { template: "blank" } })).json()) as { id: string };
  expect((await request.patch(`/api/pipelines/${id}`, { data: { name: "  " } })).status()).toBe(400);
  expect(((await (await request.patch(`/api/pipelines/${id}`, { data: { name: "" } })).json()) as { error: string }).error).toBe("a pipeline needs a name");
  expect((await request.patch(`/api/pipelines/${id}`, { data: { title: "x" } })).status()).toBe(400);
  expect((await request.patch(`/api/pipelines/${id}`, { headers: { "content-type": "application/json" }, data: "{not json" })).status()).toBe(400);
  expect((await request.patch("/api/pipelines/nope", { data: { name: "x" } })).status()).toBe(404);
  expect((await request.post("/api/pipelines/nope/duplicate")).status()).toBe(404);
  expect((await request.get(`/api/pipelines/${id}/versions/abc`)).status()).toBe(400);
  expect((await request.get(`/api/pipelines/${id}/versions/7`)).status()).toBe(404);
  expect((await request.patch(`/api/pipelines/${id}/versions/1`, { data: { label: 5 } })).status()).toBe(400);
  expect((await request.patch(`/api/pipelines/${id}/versions/1`, { data: { label: "x".repeat(81) } })).status()).toBe(400);
  expect((await request.put("/api/pipelines/nope/draft", { data: { schemaVersion: 2, name: "x", nodes: [], edges: [] } })).status()).toBe(404);
  expect((await request.put(`/api/pipelines/${id}/draft`, { data: { nodes: "no" } })).status()).toBe(400);
  expect((await request.delete(`/api/pipelines/${id}`)).status()).toBe(204);
});

test("Run on an example reuses the pipeline made from it; a new copy is numbered", async ({ request }) => {
  const first = await request.post("/api/pipelines", { data: { template: "windowExplorer", start: true } });
  expect(first.ok()).toBe(true);
  const a = (await first.json()) as { id: string; runId: string };
  const second = await request.post("/api/pipelines", { data: { template: "windowExplorer", start: true } });
  const b = (await second.json()) as { id: string; runId: string; reused: boolean };
  expect(b).toMatchObject({ id: a.id, runId: a.runId, reused: true });
  await request.post(`/api/pipelines/${a.id}/run`, { data: { action: "stop", runId: a.runId } });

  const copy = await request.post("/api/pipelines", { data: { template: "windowExplorer", start: true, copy: true } });
  expect(copy.status()).toBe(201);
  const c = (await copy.json()) as { id: string; runId: string };
  expect(c.id).not.toBe(a.id);
  await request.post(`/api/pipelines/${c.id}/run`, { data: { action: "stop", runId: c.runId } });
  const names = ((await (await request.get("/api/pipelines")).json()) as { pipelines: { id: string; name: string }[] }).pipelines;
  expect(names.find((p) => p.id === c.id)?.name).toMatch(/^Window explorer \(\d+\)$/);
});

test("pages ask for nothing that is missing: the icon and the web manifest are served", async ({ page, request }) => {
  const missing: string[] = [];
  page.on("response", (r) => {
    if (r.status() === 404) missing.push(r.url());
  });
  await page.goto("/");
  await page.goto("/pipelines/new");
  await expect(page.getByRole("button", { name: "Create from Blank" })).toHaveClass(/button/);
  expect(missing).toEqual([]);
  expect((await request.get("/icon.svg")).status()).toBe(200);
  const manifest = await request.get("/manifest.webmanifest");
  expect(manifest.status()).toBe(200);
  expect(((await manifest.json()) as { name: string }).name).toBe("DStream Studio");
});
