import type { PipelineDocument } from "@/engine/pipeline/document";
import { nodeDefinition, type StreamType } from "@/engine/pipeline/catalog";

/** The stream type leaving a node's output port, following `same` ports upstream. */
export function outputType(doc: PipelineDocument, nodeId: string, port: string, depth = 0): StreamType {
  const node = doc.nodes.find((n) => n.id === nodeId);
  const def = node && nodeDefinition(node.kind);
  const out = def?.outputs.find((p) => p.name === port);
  if (!def || !out) return "plain";
  const parsed = def.config.safeParse(node.config);
  const fromConfig = parsed.success ? def.outputType?.(port, parsed.data) : undefined;
  if (fromConfig) return fromConfig;
  if (out.type !== "same") return out.type;
  const first = def.inputs[0]?.name;
  const edge = doc.edges.find((e) => e.target === nodeId && e.targetPort === first);
  return edge && depth < 100 ? outputType(doc, edge.source, edge.sourcePort, depth + 1) : "plain";
}

function reaches(doc: PipelineDocument, from: string, to: string): boolean {
  const seen = new Set<string>();
  const stack = [from];
  while (stack.length) {
    const id = stack.pop()!;
    if (id === to) return true;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const e of doc.edges) if (e.source === id) stack.push(e.target);
  }
  return false;
}

/** Why a wire from source:port to target:port is refused, or null when it is fine. */
export function connectionProblem(doc: PipelineDocument, c: { source: string; sourcePort: string; target: string; targetPort: string }): string | null {
  if (c.source === c.target) return "a node cannot feed itself";
  const target = doc.nodes.find((n) => n.id === c.target);
  const def = target && nodeDefinition(target.kind);
  const port = def?.inputs.find((p) => p.name === c.targetPort);
  if (!def || !port) return `"${c.targetPort}" is not an input`;
  if (doc.edges.some((e) => e.target === c.target && e.targetPort === c.targetPort)) {
    return `input "${c.targetPort}" of ${c.target} is already connected; an input takes one stream (use Union to merge)`;
  }
  if (port.type === "pair" && outputType(doc, c.source, c.sourcePort) !== "pair") {
    return `${def.label} needs a pair stream [key, value], but ${c.source} gives plain records; put "Key by field" or "Map to pair" between them`;
  }
  if (reaches(doc, c.target, c.source)) return "this wire would make a cycle; a DStream graph flows one way";
  return null;
}
