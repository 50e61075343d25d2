import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { streamingBasicsTemplate, windowExplorerTemplate } from "@/engine/pipeline/samples";
import type { PipelineDocument } from "@/engine/pipeline/document";
import type { RunSnapshot } from "@/server/runs/types";

// The article's examples run on the server and the dashboard shows what Spark would print; each
// panel is saved as a screenshot under test-results/screenshots/.

const shot = (page: Page, testId: string, name: string) =>
  page.getByTestId(testId).first().screenshot({ path: `test-results/screenshots/${name}.png` });
const section = (page: Page, label: string) => page.locator(`section[aria-label="${label}"]`);

async function startRun(request: APIRequestContext, document: PipelineDocument): Promise<{ pipelineId: string; runId: string }> {
  const created = await request.post("/api/pipelines", { data: document });
  expect(created.status()).toBe(201);
  const { id: pipelineId } = await created.json();
  const started = await request.post(`/api/pipelines/${pipelineId}/run`, { data: { action: "start" } });
  expect(started.status(), await started.text()).toBe(201);
  return { pipelineId, runId: (await started.json()).runId };
}

async function snapshot(request: APIRequestContext, pipelineId: string, runId: string): Promise<RunSnapshot> {
  return (await (await request.get(`/api/pipelines/${pipelineId}/run?runId=${runId}`)).json()).snapshot;
}

/** The records each printed batch of a print node shows, oldest batch first (Spark's layout: rule, Time, rule, records). */
function printedRecords(text: string): string[][] {
  return text
    .split(/-{20,}\nTime: \d+ ms\n-{20,}\n/)
    .slice(1)
    .map((block) => block.split("\n").filter((l) => l.trim() !== "" && !l.startsWith("# ")));
}

test("streaming basics: count and countByValue per batch match the article's", async ({ page, request }) => {
  const { pipelineId, runId } = await startRun(request, structuredClone(streamingBasicsTemplate));
  await page.goto(`/runs/${runId}`);
  await expect(page.getByTestId("run-status")).toHaveAttribute("data-status", "running");
  await expect(page.getByTestId("batch-table").locator("tbody tr").nth(5)).toBeVisible({ timeout: 30_000 });

  const console = section(page, "Printed output").first();
  await console.locator("select").first().selectOption("printCountByValue");
  // Polled: the console re-renders (at most 10 times a second) after the choice.
  const printed = async () => printedRecords(await page.getByTestId("print-console").first().innerText()).slice(0, 6);
  // queue 1..10, one per batch, x % 4: batch i holds i % 4 once.
  await expect.poll(printed).toEqual([["(1,1)"], ["(2,1)"], ["(3,1)"], ["(0,1)"], ["(1,1)"], ["(2,1)"]]);
  await console.locator("select").first().selectOption("printCount");
  await expect.poll(printed).toEqual([["1"], ["1"], ["1"], ["1"], ["1"], ["1"]]);
  await shot(page, "print-console", "print-console");

  // The Streams panel lists the document's node ports, not engine-internal streams.
  const streams = page.getByTestId("streams-table");
  await expect(streams.locator("tr[data-stream='mod4:out']")).toBeVisible();
  await expect(streams.locator("tr[data-stream^='stream-']")).toHaveCount(0);
  await streams.locator("tr[data-stream='mod4:out']").click();
  await expect(page.getByTestId("stream-tail")).toContainText(/[0-3]/);
  await shot(page, "streams-table", "streams");
  await shot(page, "stream-tail", "stream-tail");

  await shot(page, "statistics", "statistics");
  await shot(page, "batch-table", "batches");
  await page.getByTestId("batch-table").locator("tbody tr").first().click();
  await expect(page.getByTestId("batch-details")).toBeVisible();
  await shot(page, "batch-details", "batch-details");

  // The editor labels each wire with its records per batch while the run is live.
  await page.goto(`/pipelines/${pipelineId}`);
  await expect(page.locator(".react-flow__edge-text").first()).toContainText("/ batch", { timeout: 15_000 });
  await expect(page.getByTestId("run-page-link")).toHaveAttribute("href", `/runs/${runId}`);
  await page.getByTestId("canvas").screenshot({ path: "test-results/screenshots/editor-wire-counts.png" });
  await request.post(`/api/pipelines/${pipelineId}/run`, { data: { action: "stop", runId } });
  expect((await snapshot(request, pipelineId, runId)).status).toBe("stopped");
});

test("window explorer: the timeline highlights the batches each window covers", async ({ page, request }) => {
  const { pipelineId, runId } = await startRun(request, structuredClone(windowExplorerTemplate));
  await page.goto(`/runs/${runId}`);
  const timeline = page.getByTestId("window-timeline").first();
  await expect(timeline.locator("g[data-window-end]").nth(2)).toBeAttached({ timeout: 30_000 });
  // Batch 1 is at zeroTime + 1 s; windows (3 s, sliding 2 s) end at zeroTime + 2 s, 4 s, 6 s.
  const first = Math.min(...(await snapshot(request, pipelineId, runId)).batches.map((b) => b.batchTimeMs));
  const zero = first - 1000;
  const covered = async (endOffsetMs: number) =>
    (await timeline.locator(`g[data-window-end='${zero + endOffsetMs}']`).getAttribute("data-covered"))?.split(" ").map((t) => (Number(t) - zero) / 1000);
  expect(await covered(2000)).toEqual([1, 2]);
  expect(await covered(4000)).toEqual([2, 3, 4]);
  expect(await covered(6000)).toEqual([4, 5, 6]);
  await shot(page, "window-timeline", "window-timeline");
  await request.post(`/api/pipelines/${pipelineId}/run`, { data: { action: "stop", runId } });
});

/** Transactions as the article's CSV lines; two do not parse, one is above the 4000 fraud amount. */
const ledger: PipelineDocument = {
  schemaVersion: 2,
  name: "Ledger (e2e)",
  description: "",
  settings: { batchIntervalMs: 1000, checkpointing: { enabled: true }, concurrentJobs: 1 },
  nodes: [
    {
      id: "queue",
      kind: "queue",
      position: { x: 0, y: 0 },
      config: {
        batches: [
          ["1,01/02/2020,123-ABC-789,10.34,Drug Store", "2,01/02/2020,987-CBA-321,4322.33,Electronics", "garbage line"],
          ["3,01/03/2020,123-ABC-789,94.65,Gas", "4,01/03/2020,456-DEF-456,20.00,Books", "5,xx,456-DEF-456,abc,Park"],
          ["6,01/04/2020,987-CBA-321,306.21,Misc"],
        ],
        oneAtATime: true,
      },
    },
    { id: "parse", kind: "parseTransactions", position: { x: 200, y: 0 }, config: {} },
    { id: "unparsable", kind: "deadLetters", position: { x: 400, y: 200 }, config: {} },
    { id: "byAccount", kind: "keyBy", position: { x: 400, y: 0 }, config: { field: "account_number" } },
    { id: "evaluate", kind: "aggregateWithState", position: { x: 600, y: 0 }, config: { fraudAmount: 4000 } },
    { id: "flags", kind: "fraudFlags", position: { x: 800, y: 0 }, config: {} },
    { id: "snapshots", kind: "print", position: { x: 800, y: 200 }, config: { num: 10 } },
  ],
  edges: [
    { id: "e1", source: "queue", sourcePort: "out", target: "parse", targetPort: "in" },
    { id: "e2", source: "parse", sourcePort: "deadLetter", target: "unparsable", targetPort: "in" },
    { id: "e3", source: "parse", sourcePort: "out", target: "byAccount", targetPort: "in" },
    { id: "e4", source: "byAccount", sourcePort: "out", target: "evaluate", targetPort: "in" },
    { id: "e5", source: "evaluate", sourcePort: "out", target: "flags", targetPort: "in" },
    { id: "e6", source: "evaluate", sourcePort: "snapshots", target: "snapshots", targetPort: "in" },
  ],
};

test("dead letters, fraud flags and state: persisted tables and the server-paged state", async ({ page, request }) => {
  const { pipelineId, runId } = await startRun(request, structuredClone(ledger));
  await page.goto(`/runs/${runId}`);

  const dead = page.getByTestId("dead-letters");
  await expect(dead.locator("tbody tr")).toHaveCount(2, { timeout: 30_000 });
  await expect(dead).toContainText("garbage line");
  await shot(page, "dead-letters", "dead-letters");
  const api = await (await request.get(`/api/runs/${runId}/dead-letters?limit=1`)).json();
  expect(api.total).toBe(2);
  expect(api.items).toHaveLength(1);
  expect(api.next).toEqual(expect.any(Number));

  const flags = page.getByTestId("fraud-flags");
  await expect(flags.locator("tbody tr")).toHaveCount(1, { timeout: 30_000 });
  await expect(flags).toContainText("987-CBA-321");
  await expect(flags).toContainText("amount>4000");
  await expect(flags).toContainText("4,322.33");
  await shot(page, "fraud-flags", "fraud-flags");

  const state = page.getByTestId("state-table");
  await expect(state.locator("tbody tr")).toHaveCount(3, { timeout: 30_000 });
  await page.getByTestId("state-search").fill("987");
  await expect(state.locator("tbody tr")).toHaveCount(1);
  await expect(state).toContainText("987-CBA-321");
  await page.getByTestId("state-search").fill("");
  await expect(page.getByTestId("state-counts")).toContainText("3 keys");
  await section(page, "State").screenshot({ path: "test-results/screenshots/state.png" });
  await request.post(`/api/pipelines/${pipelineId}/run`, { data: { action: "stop", runId } });
});
