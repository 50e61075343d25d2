import { describe, expect, it } from "vitest";
import { diffDocuments, isEmptyDiff } from "@/engine/pipeline/documentDiff";
import { doc } from "./harness";

describe("the diff between two versions of a pipeline", () => {
  const v1 = doc([["q", "queue"], ["m", "map", { fn: "(x) => x" }], ["p", "print"]], [["q", "m"], ["m", "p"]]);

  it("names nodes and wires added and removed, and the fields that changed", () => {
    const v2 = doc([["q", "queue"], ["m", "map", { fn: "(x) => [x, 1]", pairs: true }], ["r", "reduceByKey"], ["p", "print"]], [["q", "m"], ["m", "r"], ["r", "p"]], { batchIntervalMs: 2000 });
    v2.nodes[0].position = { x: 10, y: 0 };
    v2.nodes[1].label = "Pairs";
    const d = diffDocuments(v1, v2);
    expect(d.nodesAdded).toEqual([{ id: "r", kind: "reduceByKey" }]);
    expect(d.nodesRemoved).toEqual([]);
    expect(d.nodesChanged).toEqual([{ id: "m", fields: ["label", "fn", "pairs"] }]);
    expect(d.nodesMoved).toEqual(["q"]);
    expect(d.wiresAdded).toEqual(["m.out → r.in", "r.out → p.in"]);
    expect(d.wiresRemoved).toEqual(["m.out → p.in"]);
    expect(d.pipelineChanged).toEqual(["batchIntervalMs"]);
    expect(diffDocuments(v2, v1).nodesRemoved).toEqual([{ id: "r", kind: "reduceByKey" }]);
  });

  it("is empty between equal documents, and a wire drawn again under a new id is no change", () => {
    expect(isEmptyDiff(diffDocuments(v1, structuredClone(v1)))).toBe(true);
    const redrawn = structuredClone(v1);
    redrawn.edges[1].id = "e99";
    expect(isEmptyDiff(diffDocuments(v1, redrawn))).toBe(true);
  });
});
