import { describe, expect, it } from "vitest";
import { z } from "zod";
import { catalog, CATEGORIES, defaultConfig, NODE_KINDS, nodeDefinition } from "@/engine/pipeline/catalog";
import { parseTransactionLine } from "@/engine/pipeline/catalog/article";
import { listDiff } from "@/engine/pipeline/catalog/windows";
import { sampleTransactionsPipeline, templates } from "@/engine/pipeline/samples";
import { functionFields } from "@/engine/pipeline/functionSyntax";

describe("node catalog", () => {
  it.each(NODE_KINDS)("%s is complete: key, category, ports, doc, defaults that validate", (kind) => {
    const def = nodeDefinition(kind)!;
    expect(def.kind).toBe(kind);
    expect(CATEGORIES).toContain(def.category);
    expect(def.label.length).toBeGreaterThan(0);
    expect(def.doc.length).toBeGreaterThan(20);
    expect(def.config.safeParse(defaultConfig(kind)).success).toBe(true);
    expect(() => z.toJSONSchema(def.config, { io: "input", unrepresentable: "any" })).not.toThrow();
    const ports = [...def.inputs.map((p) => p.name), ...def.outputs.map((p) => p.name)];
    expect(new Set(ports).size).toBe(ports.length);
    if (def.isOutput) expect(def.outputs).toHaveLength(0);
    if (def.category === "Sources") expect(def.inputs).toHaveLength(0);
  });

  it("covers every category and the kinds the templates use", () => {
    const categories = new Set(Object.values(catalog).map((d) => d.category));
    expect([...categories].sort()).toEqual([...CATEGORIES].sort());
    for (const doc of [sampleTransactionsPipeline, ...Object.values(templates)]) {
      for (const node of doc.nodes) expect(NODE_KINDS, `${doc.name}: ${node.kind}`).toContain(node.kind);
    }
  });

  it("knows which fields are functions", () => {
    expect(functionFields("map")).toEqual(["fn"]);
    expect(functionFields("reduceByKeyAndWindow")).toEqual(["fn", "inverseFn", "filterFunc"]);
    expect(functionFields("combineByKey")).toEqual(["createCombiner", "mergeValue", "mergeCombiners"]);
    expect(functionFields("print")).toEqual([]);
  });

  it("joins take two inputs and parse has a dead-letter port", () => {
    for (const kind of ["join", "leftOuterJoin", "rightOuterJoin", "fullOuterJoin", "cogroup", "union"] as const) {
      expect(catalog[kind].inputs.map((p) => p.name)).toEqual(["left", "right"]);
    }
    expect(catalog.parseTransactions.outputs.find((p) => p.deadLetter)?.name).toBe("deadLetter");
  });
});

describe("parseTransactionLine", () => {
  it("parses the producer's line into a SimpleTransaction", () => {
    expect(parseTransactionLine("7,03/14/2024,987-CBA-321,20.0,Misc, etc")).toEqual({
      ok: true,
      value: { id: 7, date: "2024-03-14", account_number: "987-CBA-321", amount: 20, description: "Misc, etc" },
    });
  });

  it.each([
    ["x,03/14/2024,a,1,d", undefined, /id "x" is not a whole number/],
    ["-,03/14/2024,a,1,d", undefined, /id "-" is not a whole number/],
    [",03/14/2024,a,1,d", undefined, /id "" is not a whole number/],
    ["1e3,03/14/2024,a,1,d", undefined, /id "1e3" is not a whole number/],
    ["6,3/14/2024,a,1,d", 6, /not a valid MM\/dd\/yyyy date/],
    ["6,03-14-2024,a,1,d", 6, /not a valid MM\/dd\/yyyy date/],
    ["6,03/14/2O24,a,1,d", 6, /not a valid MM\/dd\/yyyy date/],
    ["3,14/03/2024,a,1,d", 3, /not a valid MM\/dd\/yyyy date/],
    ["4,03/14/2024,a,lots,d", 4, /amount "lots" is not a number/],
    ["5,03/14/2024", 5, /expected 5 comma-separated fields/],
    ["-5,03/14/2024", -5, /expected 5 comma-separated fields/],
  ])("sends %s to the dead letters", (line, id, error) => {
    const result = parseTransactionLine(line);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.dead.id).toBe(id);
      expect(result.dead.originalMessage).toBe(line);
      expect(result.dead.error).toMatch(error);
    }
  });
});

describe("listDiff (the built-in list window's inverse)", () => {
  const byId = (r: unknown) => (r as { id: number }).id;
  const t = (id: number, n = 0) => ({ id, n });
  it("removes the leaving prefix when it is the same objects", () => {
    const a = [t(1), t(2), t(3)];
    expect(listDiff(a, [a[0], a[1]], byId)).toEqual([t(3)]);
  });
  it("removes by id, one occurrence per leaving value, first occurrences first, when the objects differ (e.g. after recovery)", () => {
    const a = [t(1, 1), t(2), t(1, 2), t(3)];
    expect(listDiff(a, [t(1), t(4)], byId)).toEqual([t(2), t(1, 2), t(3)]);
    expect(listDiff(a, [t(1), t(1)], byId)).toEqual([t(2), t(3)]);
    expect(listDiff(a, [], byId)).toEqual(a);
  });
});
