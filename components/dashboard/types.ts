/** The part of the run's pipeline document the dashboard draws: nodes and wires. */
export interface RunGraph {
  nodes: { id: string; kind: string; label?: string }[];
  edges: { id: string; source: string; sourcePort: string; target: string; targetPort: string }[];
}

/** What the tail panel follows: one stream (a wire) or one node (its outputs, or its print output). */
export type TailSelection = { kind: "stream"; streamId: string } | { kind: "node"; nodeId: string };
