import { describe, expect, it } from "vitest";
import { migrations, OLDEST_SCHEMA_VERSION } from "@/engine/pipeline/migrations";
import { parsePipelineDocument, PIPELINE_SCHEMA_VERSION } from "@/engine/pipeline/document";

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object") {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

const v1 = {
  schemaVersion: 1,
  name: "old",
  nodes: [
    { id: "a", kind: "queue", position: { x: 0, y: 0 }, config: {} },
    { id: "b", kind: "print", position: { x: 0, y: 0 }, config: {} },
  ],
  edges: [{ id: "e", source: "a", target: "b" }],
};

describe("document migrations", () => {
  it("has one migration for every version below the current one, each named", () => {
    for (let v = OLDEST_SCHEMA_VERSION; v < PIPELINE_SCHEMA_VERSION; v++) {
      expect(migrations[v], `migration from ${v}`).toBeDefined();
      expect(migrations[v].name.length).toBeGreaterThan(0);
    }
    expect(Object.keys(migrations).map(Number).every((v) => v >= OLDEST_SCHEMA_VERSION && v < PIPELINE_SCHEMA_VERSION)).toBe(true);
  });

  it("never mutates its input and bumps the version by one", () => {
    for (const [from, migration] of Object.entries(migrations)) {
      const input = deepFreeze(structuredClone({ ...v1, schemaVersion: Number(from) }));
      const output = migration.up(input);
      expect(output.schemaVersion).toBe(Number(from) + 1);
    }
  });

  it("1 → 2 names the default ports of edges that omitted them, and keeps explicit ones", () => {
    const out = migrations[1].up({ ...v1, edges: [...v1.edges, { id: "f", source: "a", sourcePort: "x", target: "b", targetPort: "y" }] });
    expect(out.edges).toEqual([
      { id: "e", source: "a", sourcePort: "out", target: "b", targetPort: "in" },
      { id: "f", source: "a", sourcePort: "x", target: "b", targetPort: "y" },
    ]);
  });

  it("loads a version 1 document as the current version", () => {
    const parsed = parsePipelineDocument(v1);
    expect(parsed.ok && parsed.document.schemaVersion).toBe(PIPELINE_SCHEMA_VERSION);
    expect(parsed.ok && parsed.document.edges[0]).toMatchObject({ sourcePort: "out", targetPort: "in" });
  });

  it("refuses unknown versions and non-objects with a clear message", () => {
    for (const version of [0, 1.5, "2", undefined]) {
      const parsed = parsePipelineDocument({ ...v1, schemaVersion: version });
      expect(parsed).toEqual({ ok: false, issues: [{ path: "schemaVersion", message: expect.stringMatching(/unknown schema version/) }] });
    }
    expect(parsePipelineDocument([])).toEqual({ ok: false, issues: [{ path: "(document)", message: "a pipeline document must be a JSON object" }] });
  });
});
