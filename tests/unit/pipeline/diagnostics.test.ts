import { describe, expect, it } from "vitest";
import { diagnose, hasErrors, type Diagnostic } from "@/engine/pipeline/diagnostics";
import { PIPELINE_SCHEMA_VERSION, type PipelineDocument } from "@/engine/pipeline/document";
import { fraudArticleKafkaCassandraTemplate, sampleTransactionsPipeline, templates } from "@/engine/pipeline/samples";

type N = [id: string, kind: string, config?: Record<string, unknown>];
type E = [source: string, target: string, sourcePort?: string, targetPort?: string];

function doc(nodes: N[], edges: E[], settings: Partial<PipelineDocument["settings"]> = {}): PipelineDocument {
  return {
    schemaVersion: PIPELINE_SCHEMA_VERSION,
    name: "t",
    description: "",
    settings: { batchIntervalMs: 1000, checkpointing: { enabled: false }, concurrentJobs: 1, ...settings },
    nodes: nodes.map(([id, kind, config]) => ({ id, kind, position: { x: 0, y: 0 }, config: config ?? {} })),
    edges: edges.map(([source, target, sourcePort, targetPort], i) => ({ id: `e${i}`, source, target, sourcePort: sourcePort ?? "out", targetPort: targetPort ?? "in" })),
  };
}
const codes = (ds: Diagnostic[]) => ds.map((d) => `${d.nodeId}:${d.code}${d.field ? `:${d.field}` : ""}`);

describe("diagnostics", () => {
  it("finds nothing wrong in the sample and the templates", () => {
    for (const d of [sampleTransactionsPipeline, fraudArticleKafkaCassandraTemplate, ...Object.values(templates).filter((t) => t.nodes.length)]) {
      expect(diagnose(d), d.name).toEqual([]);
    }
  });

  it("unknown kinds and invalid config values, naming node and field", () => {
    const ds = diagnose(doc([["q", "queue"], ["x", "teleport"], ["p", "print", { num: 0 }]], [["q", "p"]]));
    expect(codes(ds)).toEqual(["x:unknown-kind", "p:invalid-config:num"]);
    expect(ds[1].message).toMatch(/"Print" \(p\): num .* \(is 0\)/);
  });

  it("function syntax errors", () => {
    const ds = diagnose(doc([["q", "queue"], ["m", "map", { fn: "(x) => x +" }], ["p", "print"]], [["q", "m"], ["m", "p"]]));
    expect(codes(ds)).toEqual(["m:function-syntax:fn"]);
    const notFn = diagnose(doc([["q", "queue"], ["m", "map", { fn: "42" }], ["p", "print"]], [["q", "m"], ["m", "p"]]));
    expect(notFn[0].message).toMatch(/must be an arrow function/);
  });

  it("cycles", () => {
    const ds = diagnose(doc([["q", "queue"], ["u", "union"], ["m", "map"], ["p", "print"]], [["q", "u", "out", "left"], ["u", "m"], ["m", "u", "out", "right"], ["m", "p"]]));
    expect(codes(ds).filter((c) => c.endsWith("cycle")).sort()).toEqual(["m:cycle", "u:cycle"]);
  });

  it("unconnected required inputs and two-input operations missing one", () => {
    const ds = diagnose(doc([["q", "queue"], ["k", "keyBy", { field: "a" }], ["j", "join"], ["p", "print"]], [["q", "k"], ["k", "j", "out", "left"], ["j", "p"]]));
    expect(codes(ds)).toContain("j:join-missing-input");
    expect(ds.find((d) => d.code === "join-missing-input")!.message).toMatch(/"right" is not connected/);
    expect(codes(diagnose(doc([["q", "queue"], ["m", "map"], ["p", "print"]], [["m", "p"]])))).toContain("m:missing-input");
  });

  it("a pair operation fed a plain stream", () => {
    const ds = diagnose(doc([["q", "queue"], ["r", "reduceByKey"], ["p", "print"]], [["q", "r"], ["r", "p"]]));
    expect(codes(ds)).toEqual(["r:pair-input-plain"]);
    expect(ds[0].message).toMatch(/Key by field/);
    // a filter keeps the pair type of its input
    const ok = diagnose(doc([["q", "queue"], ["k", "mapToPair"], ["f", "filter"], ["r", "reduceByKey"], ["p", "print"]], [["q", "k"], ["k", "f"], ["f", "r"], ["r", "p"]]));
    expect(ok).toEqual([]);
  });

  it("unknown ports and two streams into one input", () => {
    const ds = diagnose(doc([["q", "queue"], ["q2", "queue"], ["p", "print"]], [["q", "p"], ["q2", "p"], ["q", "p", "nope", "in"]]));
    expect(codes(ds)).toEqual(["q:unknown-port", "p:multiple-inputs"]);
  });

  it("window or slide not a multiple of the parent's slide", () => {
    const ds = diagnose(doc([["q", "queue"], ["w", "window", { windowMs: 2500, slideMs: 1500 }], ["p", "print"]], [["q", "w"], ["w", "p"]]));
    expect(codes(ds)).toEqual(["w:window-not-multiple:windowMs", "w:slide-not-multiple:slideMs"]);
    expect(ds[0].message).toMatch(/window 2500 ms is not a multiple of the parent's slide 1000 ms; use 3000 ms/);
    // a window after a window is checked against the first window's slide
    const chained = diagnose(doc([["q", "queue"], ["w", "window", { windowMs: 4000, slideMs: 2000 }], ["w2", "window", { windowMs: 6000, slideMs: 3000 }], ["p", "print"]], [["q", "w"], ["w", "w2"], ["w2", "p"]]));
    expect(codes(chained)).toEqual(["w2:slide-not-multiple:slideMs"]);
  });

  it("two inputs with different slides", () => {
    const ds = diagnose(doc([["a", "queue"], ["b", "queue"], ["w", "window", { windowMs: 2000, slideMs: 2000 }], ["u", "union"], ["p", "print"]], [["a", "w"], ["w", "u", "out", "left"], ["b", "u", "out", "right"], ["u", "p"]]));
    expect(codes(ds)).toEqual(["u:slide-mismatch"]);
    const tw = diagnose(doc([["a", "queue"], ["b", "queue"], ["w", "window", { windowMs: 2000, slideMs: 2000 }], ["t", "transformWith"], ["p", "print"]], [["a", "w"], ["w", "t", "out", "left"], ["b", "t", "out", "right"], ["t", "p"]]));
    expect(codes(tw)).toEqual(["t:slide-mismatch"]);
  });

  it("the socket source checks its host and port", () => {
    const ds = diagnose(doc([["s", "socketText", { host: "a host; rm", port: 70000 }], ["p", "print"]], [["s", "p"]]));
    expect(codes(ds)).toEqual(["s:invalid-config:host", "s:invalid-config:port"]);
  });

  it("stateful nodes need checkpointing, at an interval that is a multiple of the slide", () => {
    const nodes: N[] = [["q", "queue"], ["k", "mapToPair"], ["s", "updateStateByKey"], ["p", "print"]];
    const edges: E[] = [["q", "k"], ["k", "s"], ["s", "p"]];
    expect(codes(diagnose(doc(nodes, edges)))).toEqual(["s:checkpoint-required"]);
    expect(diagnose(doc(nodes, edges, { checkpointing: { enabled: true, intervalMs: 5000 } }))).toEqual([]);
    const bad = diagnose(doc(nodes, edges, { batchIntervalMs: 2000, checkpointing: { enabled: true, intervalMs: 5000 } }));
    expect(codes(bad)).toEqual(["s:checkpoint-interval"]);
    expect(bad[0].message).toMatch(/5000 ms is not a multiple of its slide 2000 ms; set the interval to 6000 ms/);
    // reduceByKeyAndWindow is stateful only with an inverse function
    const rbw = (inverseFn: string) => diagnose(doc([["q", "queue"], ["k", "mapToPair"], ["r", "reduceByKeyAndWindow", { inverseFn }], ["p", "print"]], [["q", "k"], ["k", "r"], ["r", "p"]]));
    expect(rbw("")).toEqual([]);
    expect(codes(rbw("(a, b) => a - b"))).toEqual(["r:checkpoint-required"]);
  });

  it("an empty pipeline is an error with Spark's message, not a runnable one", () => {
    const ds = diagnose(doc([], []));
    expect(codes(ds)).toEqual(["null:no-output"]);
    expect(ds[0].message).toMatch(/The pipeline is empty.*No output operations registered, so nothing to execute/);
    expect(hasErrors(ds)).toBe(true);
  });

  it("no output operation (error) and nodes feeding nothing (warning)", () => {
    const ds = diagnose(doc([["q", "queue"], ["m", "map"]], [["q", "m"]]));
    expect(codes(ds)).toEqual(["null:no-output", "m:unused-output"]);
    expect(hasErrors(ds)).toBe(true);
    expect(hasErrors(ds.filter((d) => d.severity === "warning"))).toBe(false);
  });
});

describe("config-dependent stream types", () => {
  it("a Map with pairs on feeds a pair operation; with pairs off it is refused", () => {
    const d = (pairs: boolean) => diagnose(doc([["q", "queue"], ["m", "map", { fn: "(x) => [x % 4, 1]", pairs }], ["r", "reduceByKey"], ["p", "print"]], [["q", "m"], ["m", "r"], ["r", "p"]]));
    expect(d(true)).toEqual([]);
    expect(codes(d(false))).toEqual(["r:pair-input-plain"]);
  });
});
