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

describe("one user action is one undo step", () => {
  const wired = doc([["q", "queue"], ["m", "map"], ["p", "print"]], [["q", "m"], ["m", "p"]]);
  const start = (): History => ({ past: [], present: wired, future: [] });
  const apply = (h: History, change: Parameters<typeof applyChange>[1], mergeKey?: string) => historyReducer(h, { type: "apply", change, mergeKey });

  it("deleting a wired node: one undo brings back the node and its wires", () => {
    let h = apply(start(), { type: "remove", nodeIds: ["m"], edgeIds: ["e0", "e1"] });
    expect(h.present.nodes.map((n) => n.id)).toEqual(["q", "p"]);
    expect(h.present.edges).toEqual([]);
    expect(h.past).toHaveLength(1);
    h = historyReducer(h, { type: "undo" });
    expect(h.present).toBe(wired);
    expect(h.present.edges).toHaveLength(2);
    h = historyReducer(h, { type: "redo" });
    expect(h.present.nodes.map((n) => n.id)).toEqual(["q", "p"]);
    expect(h.present.edges).toEqual([]);
  });

  it("deleting a selected wire alone is one step, and an empty deletion none", () => {
    let h = apply(start(), { type: "remove", nodeIds: [], edgeIds: ["e1"] });
    expect(h.present.edges.map((e) => e.id)).toEqual(["e0"]);
    expect(h.past).toHaveLength(1);
    h = apply(h, { type: "remove", nodeIds: [], edgeIds: [] });
    expect(h.past).toHaveLength(1);
  });

  it("a paste of nodes with their wires is one step", () => {
    let h = apply(start(), duplicate(wired, { nodes: wired.nodes, edges: wired.edges }));
    expect(h.present.nodes).toHaveLength(6);
    expect(h.present.edges).toHaveLength(4);
    h = historyReducer(h, { type: "undo" });
    expect(h.present).toBe(wired);
  });

  it("a drag is one step however many moves it reports; the next drag is another", () => {
    let h = start();
    for (let x = 1; x <= 20; x++) h = apply(h, { type: "moveNodes", moves: [{ id: "q", position: { x, y: 0 } }] }, "move:1");
    h = apply(h, { type: "moveNodes", moves: [{ id: "q", position: { x: 50, y: 50 } }] }, "move:2");
    expect(h.past).toHaveLength(2);
    h = historyReducer(h, { type: "undo" });
    expect(h.present.nodes[0].position).toEqual({ x: 20, y: 0 });
    h = historyReducer(h, { type: "undo" });
    expect(h.present.nodes[0].position).toEqual({ x: 0, y: 0 });
  });

  it("typing in one inspector field is one step; another field or node starts a new one", () => {
    let h = start();
    for (const fn of ["(", "(x", "(x)", "(x) =>", "(x) => x"]) h = apply(h, { type: "updateConfig", id: "m", config: { fn } }, "config:m:fn");
    expect(h.past).toHaveLength(1);
    h = apply(h, { type: "renameNode", id: "m", label: "Mapper" }, "label:m");
    expect(h.past).toHaveLength(2);
    h = historyReducer(h, { type: "undo" });
    expect(h.present.nodes[1]).toMatchObject({ config: { fn: "(x) => x" } });
    expect(h.present.nodes[1].label).toBeUndefined();
    h = historyReducer(h, { type: "undo" });
    expect(h.present).toBe(wired);
    // After an undo, the same field starts a fresh step instead of merging into the undone one.
    h = apply(h, { type: "updateConfig", id: "m", config: { fn: "a" } }, "config:m:fn");
    h = apply(h, { type: "updateConfig", id: "m", config: { fn: "ab" } }, "config:m:fn");
    expect(h.past).toHaveLength(1);
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
