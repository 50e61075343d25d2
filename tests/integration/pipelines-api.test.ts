import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { POST as createPost } from "@/app/api/pipelines/route";
import { POST as runPost } from "@/app/api/pipelines/[id]/run/route";
import type { PipelineDocument } from "@/engine/pipeline/document";
import type { Database } from "@/server/db/client";
import { RunHub } from "@/server/runs/RunHub";
import { registerServices, type Services } from "@/server/services";
import { until, useFreshDatabase } from "./helpers/runs";

// The route handlers of POST /api/pipelines (`{ template, start: true }`: create and run in one
// request) and POST /api/pipelines/:id/run, called as Next.js calls them, on a real SQLite
// database and the real run hub with its worker threads.

// One template with an error (a function that does not parse), to see that a refused start
// creates nothing; the real templates have none. (vi.mock is hoisted above the imports.)
vi.mock("@/engine/pipeline/samples", async (importOriginal) => {
  const real = await importOriginal<typeof import("@/engine/pipeline/samples")>();
  const broken: PipelineDocument = structuredClone(real.streamingBasicsTemplate);
  broken.name = "Broken basics";
  broken.nodes = broken.nodes.map((n) => (n.id === "mod4" ? { ...n, config: { fn: "(x) => x %" } } : n));
  return { ...real, templates: { ...real.templates, brokenForTest: broken } };
});

const fresh = useFreshDatabase("dss-pipelines-api-");
let db: Database;
let hub: RunHub;
beforeAll(() => {
  db = fresh.db;
  hub = new RunHub({
    db,
    checkpointRoot: fresh.dir,
    frameIntervalMs: 50,
    broadcaster: { frame: () => undefined, status: () => undefined, nodeError: () => undefined },
  });
  registerServices({ db, runs: hub, startedAt: new Date() });
});
afterAll(async () => {
  await hub?.stopAll();
});

function post(body: unknown): Promise<Response> {
  return createPost(
    new Request("http://test/api/pipelines", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    }),
  );
}

function runAction(pipelineId: string, body: unknown): Promise<Response> {
  const request = new Request(`http://test/api/pipelines/${pipelineId}/run`, {
    method: "POST",
    body: JSON.stringify(body),
  });
  return runPost(request, { params: Promise.resolve({ id: pipelineId }) });
}

describe("POST /api/pipelines with { template, start: true }", () => {
  it("creates the pipeline and starts a run of it in one request", async () => {
    const res = await post({ template: "transactions", start: true });
    expect(res.status).toBe(201);
    const { id, runId, ...rest } = (await res.json()) as { id: string; runId: string };
    expect(rest).toEqual({});
    const stored = await db.pipeline.findUnique({ where: { id } });
    expect(stored?.name).toBe("Transactions per account");
    expect(hub.snapshot(runId)?.pipelineId).toBe(id);
    await until("a completed batch", () => (hub.snapshot(runId)?.totals?.completedBatches ?? 0) >= 1);
    expect((await db.run.findUnique({ where: { id: runId } }))?.pipelineId).toBe(id);

    const stopped = await runAction(id, { action: "stop", runId });
    expect(stopped.status).toBe(200);
    expect(hub.snapshot(runId)?.status).toBe("stopped");
  });

  it("without start, only creates the pipeline, as before", async () => {
    const runsBefore = await db.run.count();
    const res = await post({ template: "windowExplorer" });
    expect(res.status).toBe(201);
    const answer = (await res.json()) as { id: string; document: PipelineDocument; runId?: string };
    expect(answer.document.name).toBe("Window explorer");
    expect(answer.runId).toBeUndefined();
    expect(await db.pipeline.findUnique({ where: { id: answer.id } })).not.toBeNull();
    expect(await db.run.count()).toBe(runsBefore);
  });

  it("refuses a template with errors with 422 and its diagnostics, creating nothing", async () => {
    const before = await db.pipeline.count();
    const res = await post({ template: "brokenForTest", start: true });
    expect(res.status).toBe(422);
    const answer = (await res.json()) as { error: string; diagnostics: { nodeId: string | null; severity: string }[] };
    expect(answer.error).toMatch(/the pipeline has 1 error; fix them before running/);
    expect(answer.diagnostics).toContainEqual(expect.objectContaining({ nodeId: "mod4", severity: "error" }));
    expect(await db.pipeline.count()).toBe(before);
  });

  it("refuses bad requests with 400: an unknown template, a start that is not a boolean", async () => {
    const before = await db.pipeline.count();
    const unknown = await post({ template: "nope", start: true });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { error: string }).error).toMatch(
      /^unknown template "nope"; choose one of blank, .*fraudMapWithState/,
    );
    const notBoolean = await post({ template: "transactions", start: "yes" });
    expect(notBoolean.status).toBe(400);
    expect((await notBoolean.json()) as { issues: { path: string[] }[] }).toMatchObject({
      issues: [{ path: ["start"] }],
    });
    expect(await db.pipeline.count()).toBe(before);
  });

  it("answers 503 without creating anything when the server has no run hub", async () => {
    // What `next start` gives: services with a database and no hub.
    registerServices({ db, startedAt: new Date() } as Partial<Services> as Services);
    try {
      const before = await db.pipeline.count();
      const res = await post({ template: "transactions", start: true });
      expect(res.status).toBe(503);
      expect(((await res.json()) as { error: string }).error).toMatch(
        /runs are not available: this server has no run hub/,
      );
      expect(await db.pipeline.count()).toBe(before);
    } finally {
      registerServices({ db, runs: hub, startedAt: new Date() });
    }
  });
});

describe("POST /api/pipelines/:id/run after moving its checks to server/pipelines/startRun", () => {
  it("starts a saved pipeline, and refuses one with errors with 422", async () => {
    const created = (await (await post({ template: "streamingBasics" })).json()) as { id: string };
    const started = await runAction(created.id, { action: "start" });
    expect(started.status).toBe(201);
    const { runId, diagnostics } = (await started.json()) as { runId: string; diagnostics: unknown[] };
    expect(diagnostics).toEqual([]);
    await until("a completed batch", () => (hub.snapshot(runId)?.totals?.completedBatches ?? 0) >= 1);
    await hub.stop(runId);

    const broken = (await (await post({ template: "brokenForTest" })).json()) as { id: string };
    const refused = await runAction(broken.id, { action: "start" });
    expect(refused.status).toBe(422);
    expect(((await refused.json()) as { diagnostics: unknown[] }).diagnostics.length).toBeGreaterThan(0);
  });
});
