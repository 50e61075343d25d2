/**
 * The mapWithState template as it was written before its list window became a built-in node:
 * `mapValues` and `reduceByKeyAndWindow` with the article's functions as user code, which runs
 * through the environment's user-function boundary (node:vm with a watchdog by default).
 */
import type { PipelineDocument } from "../../engine/pipeline/document";

export function withUserFunctionWindow(template: PipelineDocument): PipelineDocument {
  const window = template.nodes.find((n) => n.kind === "listByKeyAndWindow");
  if (!window) throw new Error(`${template.name} has no listByKeyAndWindow node`);
  const inEdge = template.edges.find((e) => e.target === window.id)!;
  return {
    ...template,
    name: `${template.name}, list window in user functions`,
    nodes: [
      ...template.nodes.filter((n) => n !== window),
      { id: "asList", kind: "mapValues", label: "mapValues(tx => List(tx))", position: window.position, config: { fn: "(tx) => [tx]" } },
      {
        id: window.id,
        kind: "reduceByKeyAndWindow",
        label: "reduceByKeyAndWindow(++, diff)",
        position: window.position,
        config: {
          fn: "(txs, otherTxs) => txs.concat(otherTxs)",
          inverseFn: "(txs, oldTxs) => { const left = [...txs]; for (const old of oldTxs) { const i = left.findIndex((tx) => tx.id === old.id); if (i >= 0) left.splice(i, 1); } return left; }",
          windowMs: window.config.windowMs,
          slideMs: window.config.slideMs,
        },
      },
    ],
    edges: [
      ...template.edges.filter((e) => e !== inEdge),
      { ...inEdge, target: "asList" },
      { id: `${inEdge.id}-list`, source: "asList", sourcePort: "out", target: window.id, targetPort: "in" },
    ],
  };
}
