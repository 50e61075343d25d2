import { describe, expect, it } from "vitest";
import { parsePipelineDocument, PIPELINE_SCHEMA_VERSION } from "@/engine/pipeline/document";
import { sampleTransactionsPipeline } from "@/engine/pipeline/samples";

describe("pipeline document", () => {
  it("accepts the sample pipeline and fills defaults", () => {
    const parsed = parsePipelineDocument(JSON.parse(JSON.stringify(sampleTransactionsPipeline)));
    expect(parsed.ok).toBe(true);
    const minimal = parsePipelineDocument({ schemaVersion: 1, name: "x", nodes: [], edges: [] });
    expect(minimal).toMatchObject({
      ok: true,
      document: { description: "", settings: { batchIntervalMs: 1000, concurrentJobs: 1, checkpointing: { enabled: false } } },
    });
  });

  it("refuses a newer schema version with a message that says to upgrade", () => {
    const parsed = parsePipelineDocument({ ...sampleTransactionsPipeline, schemaVersion: PIPELINE_SCHEMA_VERSION + 1 });
    expect(parsed).toEqual({
      ok: false,
      issues: [{ path: "schemaVersion", message: expect.stringMatching(/newer than this DStream Studio understands/) }],
    });
  });

  it("names the field at fault: duplicate node ids, dangling edges, bad durations", () => {
    const doc = structuredClone(sampleTransactionsPipeline) as unknown as {
      nodes: { id: string }[];
      edges: { target: string }[];
      settings: { batchIntervalMs: number };
    };
    doc.nodes[1].id = "generator";
    doc.edges[3].target = "nowhere";
    doc.settings.batchIntervalMs = 1.5;
    const parsed = parsePipelineDocument(doc);
    expect(parsed.ok).toBe(false);
    const issues = parsed.ok ? [] : parsed.issues;
    expect(issues).toContainEqual({ path: "settings.batchIntervalMs", message: "must be a whole number of milliseconds" });
    // superRefine only runs once the shape is valid, so fix the duration and look again
    doc.settings.batchIntervalMs = 1000;
    const again = parsePipelineDocument(doc);
    const issues2 = again.ok ? [] : again.issues;
    expect(issues2).toContainEqual({ path: "nodes.1.id", message: 'duplicate node id "generator"' });
    expect(issues2).toContainEqual({ path: "edges.3.target", message: 'edge "e4" refers to unknown node "nowhere"' });
  });
});
