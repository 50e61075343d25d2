import type { PipelineDocument, PipelineNode } from "./document";
import { nodeDefinition, type NodeDefinition, type StreamType } from "./catalog";
import { functionFields, parseOnlyChecker, type SyntaxChecker } from "./functionSyntax";
import { regexLiterals } from "./userRegex";
import { userSyntaxProblem } from "./userSyntax";

/**
 * Diagnostics of a pipeline document: pure and browser-safe. Each is tied to a node (and a
 * config field where one is at fault); `nodeId` is null only for problems of the whole
 * pipeline. Errors block Run; warnings do not.
 */
export type DiagnosticCode =
  | "unknown-kind"
  | "invalid-config"
  | "function-syntax"
  | "function-regex"
  | "unknown-port"
  | "multiple-inputs"
  | "cycle"
  | "missing-input"
  | "join-missing-input"
  | "pair-input-plain"
  | "slide-mismatch"
  | "window-not-multiple"
  | "slide-not-multiple"
  | "checkpoint-required"
  | "checkpoint-interval"
  | "no-output"
  | "unused-output"
  // A Cassandra table the editor inspected: a column that is not in it, or no such table.
  | "cassandra-table";

export interface Diagnostic {
  nodeId: string | null;
  field?: string;
  severity: "error" | "warning";
  code: DiagnosticCode;
  message: string;
}

export interface DiagnoseOptions {
  /** Checks function fields; the default parses with the Function constructor (never calls). */
  checkSyntax?: SyntaxChecker;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}

const name = (node: PipelineNode, def?: NodeDefinition) => `"${node.label ?? def?.label ?? node.kind}" (${node.id})`;

export function diagnose(doc: PipelineDocument, options: DiagnoseOptions = {}): Diagnostic[] {
  const checkSyntax = options.checkSyntax ?? parseOnlyChecker;
  const out: Diagnostic[] = [];
  const nodes = new Map(doc.nodes.map((n) => [n.id, n]));
  const defs = new Map<string, NodeDefinition>();
  const configs = new Map<string, Record<string, unknown>>();

  for (const node of doc.nodes) {
    const def = nodeDefinition(node.kind);
    if (!def) {
      out.push({ nodeId: node.id, severity: "error", code: "unknown-kind", message: `Node ${node.id} has kind "${node.kind}", which this DStream Studio does not know: delete it or replace it with a node from the palette.` });
      continue;
    }
    defs.set(node.id, def);
    const parsed = def.config.safeParse(node.config);
    if (parsed.success) configs.set(node.id, parsed.data as Record<string, unknown>);
    else {
      for (const issue of parsed.error.issues) {
        const field = issue.path.map(String).join(".") || undefined;
        const value = field ? JSON.stringify(node.config[issue.path[0] as string]) : undefined;
        out.push({ nodeId: node.id, field, severity: "error", code: "invalid-config", message: `${name(node, def)}: ${field ?? "config"} ${issue.message}${value !== undefined ? ` (is ${value})` : ""}; fix it in the inspector.` });
      }
    }
    for (const field of functionFields(node.kind)) {
      const source = node.config[field] ?? (configs.get(node.id)?.[field] as unknown);
      if (typeof source !== "string" || source.trim() === "") continue;
      // The user's text is parsed as typed first; the runtime's own check (behind a wrapper) second.
      const problem = userSyntaxProblem(source) ?? checkSyntax(source);
      if (problem) {
        const where = problem.line ? ` at line ${problem.line}, column ${problem.column ?? 1}` : "";
        out.push({ nodeId: node.id, field, severity: "error", code: "function-syntax", message: `${name(node, def)}: function ${field} has a syntax error${where}: ${problem.message}.` });
        continue;
      }
      const regexes = regexLiterals(source);
      if (regexes.length > 0) {
        const listed = regexes.slice(0, 3).map((r) => r.text).join(", ");
        out.push({ nodeId: node.id, field, severity: "warning", code: "function-regex", message: `${name(node, def)}: function ${field} uses a regular expression (${listed}); in a run every regular expression takes V8's slow path (the run's built-ins are frozen), about 100 times slower for split: prefer string methods such as split(","), startsWith or indexOf.` });
      }
    }
  }

  // Edges: ports must exist; an input port takes one stream.
  const incoming = new Map<string, Map<string, string[]>>(); // target → port → source node ids
  const outgoing = new Map<string, string[]>();
  for (const edge of doc.edges) {
    const source = nodes.get(edge.source);
    const target = nodes.get(edge.target);
    if (!source || !target) continue;
    const sdef = defs.get(source.id);
    const tdef = defs.get(target.id);
    if (sdef && !sdef.outputs.some((p) => p.name === edge.sourcePort)) {
      out.push({ nodeId: source.id, severity: "error", code: "unknown-port", message: `${name(source, sdef)} has no output port "${edge.sourcePort}" (edge ${edge.id}); its outputs are ${sdef.outputs.map((p) => p.name).join(", ") || "none"}. Reconnect the wire.` });
      continue;
    }
    if (tdef && !tdef.inputs.some((p) => p.name === edge.targetPort)) {
      out.push({ nodeId: target.id, severity: "error", code: "unknown-port", message: `${name(target, tdef)} has no input port "${edge.targetPort}" (edge ${edge.id}); its inputs are ${tdef.inputs.map((p) => p.name).join(", ") || "none"}. Reconnect the wire.` });
      continue;
    }
    const ports = incoming.get(target.id) ?? new Map<string, string[]>();
    ports.set(edge.targetPort, [...(ports.get(edge.targetPort) ?? []), source.id]);
    incoming.set(target.id, ports);
    outgoing.set(source.id, [...(outgoing.get(source.id) ?? []), target.id]);
  }
  for (const [targetId, ports] of incoming) {
    for (const [port, sources] of ports) {
      if (sources.length > 1) {
        const node = nodes.get(targetId)!;
        out.push({ nodeId: targetId, severity: "error", code: "multiple-inputs", message: `${name(node, defs.get(targetId))}: input "${port}" is fed by ${sources.length} streams (${sources.join(", ")}); an input takes one stream, so put a Union before it.` });
      }
    }
  }

  const inCycle = findCycles(doc.nodes.map((n) => n.id), outgoing);
  for (const id of inCycle) {
    const node = nodes.get(id)!;
    out.push({ nodeId: id, severity: "error", code: "cycle", message: `${name(node, defs.get(id))} is part of a cycle; a DStream graph must flow one way from sources to outputs, so remove one of the wires of the loop.` });
  }

  // Required inputs.
  for (const node of doc.nodes) {
    const def = defs.get(node.id);
    if (!def) continue;
    const required = def.inputs.filter((p) => p.required);
    const missing = required.filter((p) => !incoming.get(node.id)?.get(p.name)?.length);
    if (missing.length === 0) continue;
    const twoInput = required.length > 1;
    const code = twoInput ? "join-missing-input" : "missing-input";
    const detail = twoInput
      ? `needs a stream on both ${required.map((p) => `"${p.name}"`).join(" and ")}; "${missing.map((p) => p.name).join('" and "')}" ${missing.length > 1 ? "are" : "is"} not connected`
      : `input "${missing[0].name}" is not connected`;
    out.push({ nodeId: node.id, severity: "error", code, message: `${name(node, def)} ${detail}. Wire an upstream node's output into it.` });
  }

  // Stream types and slides, walked in topological order (nodes of a cycle are skipped).
  const order = topologicalOrder(doc, inCycle);
  const outType = new Map<string, StreamType>(); // `${node}:${port}`
  const slide = new Map<string, number>(); // node → slide of its outputs, ms
  const edgesInto = (id: string) => doc.edges.filter((e) => e.target === id && nodes.has(e.source));
  for (const node of order) {
    const def = defs.get(node.id);
    if (!def) continue;
    const config = configs.get(node.id);
    const inputs = edgesInto(node.id);
    let inType: StreamType = "plain";
    for (const edge of inputs) {
      const port = def.inputs.find((p) => p.name === edge.targetPort);
      const upstream = outType.get(`${edge.source}:${edge.sourcePort}`);
      if (!port || !upstream) continue;
      if (edge.targetPort === def.inputs[0]?.name) inType = upstream;
      if (port.type === "pair" && upstream !== "pair") {
        const src = nodes.get(edge.source)!;
        out.push({ nodeId: node.id, severity: "error", code: "pair-input-plain", message: `${name(node, def)} needs a pair stream of [key, value] on input "${port.name}", but ${name(src, defs.get(src.id))} gives plain records. Put "Key by field" or "Map to pair" between them.` });
      }
    }
    for (const port of def.outputs) {
      const fromConfig = config ? def.outputType?.(port.name, config) : undefined;
      outType.set(`${node.id}:${port.name}`, fromConfig ?? (port.type === "same" ? inType : port.type));
    }

    const parentSlides = [...new Set(inputs.map((e) => slide.get(e.source)).filter((s): s is number => s !== undefined))];
    if (parentSlides.length > 1) {
      out.push({ nodeId: node.id, severity: "error", code: "slide-mismatch", message: `${name(node, def)} joins streams that slide every ${parentSlides.join(" ms and ")} ms; both inputs must have the same slide, so give the windows before it the same slide.` });
    }
    const parentSlide = def.inputs.length === 0 ? doc.settings.batchIntervalMs : parentSlides[0];
    let mySlide = parentSlide;
    if (def.window && config && parentSlide !== undefined) {
      const w = def.window(config);
      const s = w.slideMs ?? parentSlide;
      if (w.windowMs % parentSlide !== 0) {
        out.push({ nodeId: node.id, field: "windowMs", severity: "error", code: "window-not-multiple", message: `${name(node, def)}: window ${w.windowMs} ms is not a multiple of the parent's slide ${parentSlide} ms; use ${nearestMultiple(w.windowMs, parentSlide)} ms.` });
      }
      if (s % parentSlide !== 0) {
        out.push({ nodeId: node.id, field: "slideMs", severity: "error", code: "slide-not-multiple", message: `${name(node, def)}: slide ${s} ms is not a multiple of the parent's slide ${parentSlide} ms; use ${nearestMultiple(s, parentSlide)} ms.` });
      }
      mySlide = s;
    }
    if (mySlide !== undefined) slide.set(node.id, mySlide);

    if (def.stateful && config && def.stateful(config)) {
      const cp = doc.settings.checkpointing;
      if (!cp.enabled) {
        out.push({ nodeId: node.id, severity: "error", code: "checkpoint-required", message: `${name(node, def)} keeps state across batches, which Spark only allows with checkpointing; turn checkpointing on in the pipeline settings.` });
      } else if (cp.intervalMs !== undefined && mySlide !== undefined && cp.intervalMs % mySlide !== 0) {
        out.push({ nodeId: node.id, severity: "error", code: "checkpoint-interval", message: `${name(node, def)}: the checkpoint interval ${cp.intervalMs} ms is not a multiple of its slide ${mySlide} ms; set the interval to ${nearestMultiple(cp.intervalMs, mySlide)} ms in the pipeline settings.` });
      }
    }
  }

  // Whole pipeline: Spark refuses to start without an output operation.
  // An empty pipeline too: Run would otherwise be offered and then fail in StreamingContext.start.
  if (!doc.nodes.some((n) => defs.get(n.id)?.isOutput)) {
    const what = doc.nodes.length === 0 ? "The pipeline is empty" : "The pipeline has no output operation";
    out.push({ nodeId: null, severity: "error", code: "no-output", message: `${what}, so nothing would run (Spark: "No output operations registered, so nothing to execute"); add a source, then an output such as Print.` });
  }
  for (const node of doc.nodes) {
    const def = defs.get(node.id);
    if (def && !def.isOutput && def.outputs.length > 0 && !outgoing.has(node.id)) {
      out.push({ nodeId: node.id, severity: "warning", code: "unused-output", message: `${name(node, def)} feeds nothing, so it will not be computed; wire its output to an output node or delete it.` });
    }
  }
  return out;
}

/** The nearest positive multiple of `base` to `value`. */
function nearestMultiple(value: number, base: number): number {
  return Math.max(base, Math.round(value / base) * base);
}

/** Ids of the nodes that lie on a cycle (Tarjan's strongly connected components). */
function findCycles(ids: string[], outgoing: Map<string, string[]>): Set<string> {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const result = new Set<string>();
  let counter = 0;
  const visit = (v: string) => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of outgoing.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      const selfLoop = (outgoing.get(v) ?? []).includes(v);
      if (component.length > 1 || selfLoop) component.forEach((c) => result.add(c));
    }
  };
  for (const id of ids) if (!index.has(id)) visit(id);
  return result;
}

/** Nodes in an order where every node comes after its inputs; nodes on cycles are left out. */
export function topologicalOrder(doc: PipelineDocument, skip: ReadonlySet<string> = new Set()): PipelineNode[] {
  const indegree = new Map<string, number>();
  const nodes = doc.nodes.filter((n) => !skip.has(n.id));
  const ids = new Set(nodes.map((n) => n.id));
  const edges = doc.edges.filter((e) => ids.has(e.source) && ids.has(e.target));
  for (const n of nodes) indegree.set(n.id, 0);
  for (const e of edges) indegree.set(e.target, (indegree.get(e.target) ?? 0) + 1);
  const ready = nodes.filter((n) => indegree.get(n.id) === 0);
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const order: PipelineNode[] = [];
  while (ready.length) {
    const n = ready.shift()!;
    order.push(n);
    for (const e of edges) {
      if (e.source !== n.id) continue;
      const d = indegree.get(e.target)! - 1;
      indegree.set(e.target, d);
      if (d === 0) ready.push(byId.get(e.target)!);
    }
  }
  return order;
}
