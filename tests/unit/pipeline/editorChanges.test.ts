import { describe, expect, it } from "vitest";
import { applyChange, duplicate, freshId, historyReducer, type History } from "@/components/editor/changes";
import { connectionProblem, outputType } from "@/components/editor/connections";
import { streamingBasicsTemplate } from "@/engine/pipeline/samples";
import { doc } from "./harness";

const base = doc([["q", "queue"], ["m", "map"], ["r", "reduceByKey"], ["p", "print"]], [["q", "m"]]);

describe("editor changes", () => {
  it("are pure: applying never mutates the document", () => {
    const before = structuredClone(base);
    applyChange(base, { type: "removeNodes", ids: ["m"] });
    applyChange(base, { type: "moveNodes", moves: [{ id: "q", position: { x: 9, y: 9 } }] });
    expect(base).toEqual(before);
  });

  it("removing a node removes its wires", () => {
    const next = applyChange(base, { type: "removeNodes", ids: ["m"] });
    expect(next.nodes.map((n) => n.id)).toEqual(["q", "r", "p"]);
    expect(next.edges).toEqual([]);
  });

  it("undo and redo walk the history; a drag is one step", () => {
    let h: History = { past: [], present: base, future: [] };
    h = historyReducer(h, { type: "apply", change: { type: "moveNodes", moves: [{ id: "q", position: { x: 1, y: 1 } }] }, mergeKey: "move:1" });
    h = historyReducer(h, { type: "apply", change: { type: "moveNodes", moves: [{ id: "q", position: { x: 2, y: 2 } }] }, mergeKey: "move:1" });
    h = historyReducer(h, { type: "apply", change: { type: "removeNodes", ids: ["p"] } });
    expect(h.past).toHaveLength(2);
    h = historyReducer(h, { type: "undo" });
    expect(h.present.nodes.map((n) => n.id)).toContain("p");
    h = historyReducer(h, { type: "undo" });
    expect(h.present).toBe(base);
    h = historyReducer(historyReducer(h, { type: "redo" }), { type: "redo" });
    expect(h.present.nodes.map((n) => n.id)).not.toContain("p");
  });

  it("paste copies nodes and the wires among them with fresh ids", () => {
    const change = duplicate(streamingBasicsTemplate, { nodes: streamingBasicsTemplate.nodes.slice(0, 2), edges: streamingBasicsTemplate.edges });
    const next = applyChange(streamingBasicsTemplate, change);
    expect(next.nodes.slice(-2).map((n) => n.id)).toEqual(["queue1", "map1"]);
    expect(next.edges.at(-1)).toMatchObject({ source: "queue1", target: "map1" });
    expect(freshId(next, "map")).toBe("map2");
  });
});

describe("connection rules", () => {
  it("refuses a plain stream into a pair input, a second wire into an input, self loops and cycles", () => {
    expect(connectionProblem(base, { source: "m", sourcePort: "out", target: "r", targetPort: "in" })).toMatch(/needs a pair stream/);
    expect(connectionProblem(base, { source: "r", sourcePort: "out", target: "m", targetPort: "in" })).toMatch(/already connected/);
    expect(connectionProblem(base, { source: "m", sourcePort: "out", target: "m", targetPort: "in" })).toMatch(/cannot feed itself/);
    const chain = doc([["a", "map"], ["b", "map"], ["u", "union"]], [["a", "b"], ["b", "u", "out", "left"]]);
    expect(connectionProblem(chain, { source: "u", sourcePort: "out", target: "a", targetPort: "in" })).toMatch(/cycle/);
    expect(connectionProblem(base, { source: "m", sourcePort: "out", target: "p", targetPort: "in" })).toBeNull();
  });

  it("follows `same` ports and config-dependent types upstream", () => {
    const d = doc([["q", "queue"], ["m", "map", { pairs: true }], ["f", "filter"]], [["q", "m"], ["m", "f"]]);
    expect(outputType(d, "f", "out")).toBe("pair");
    expect(outputType(base, "m", "out")).toBe("plain");
  });
});
