import { nodeDefinition } from "../pipeline/catalog";
import type { PipelineDocument, PipelineNode } from "../pipeline/document";
import type { Recording } from "./types";

/** Outputs that write outside the run (files, tables, Kafka, Cassandra): a replay must not write again. */
const WRITING_OUTPUTS = new Set(["saveAsTextFiles", "saveAsObjectFiles", "databaseTable", "cassandraTable", "kafkaSink"]);

/** The document's output nodes (what a replay compares). */
export function outputNodes(document: PipelineDocument): PipelineNode[] {
  return document.nodes.filter((n) => nodeDefinition(n.kind)?.isOutput === true);
}

/**
 * The document a replay runs: every source reads its recorded batches instead (a queue, one
 * batch per recorded batch), outputs that write to files, tables, Kafka or Cassandra print
 * instead (their records are still compared). Checkpoint settings stay (stateful nodes need
 * them); a replay writes its checkpoints to a folder of its own. `notes` says what was changed that a reader should know.
 */
export function replayableDocument(document: PipelineDocument, recording: Recording): { document: PipelineDocument; notes: string[] } {
  const notes: string[] = [];
  const nodes = document.nodes.map((node): PipelineNode => {
    const def = nodeDefinition(node.kind);
    if (def?.category === "Sources") {
      const recorded = recording.batches.some((b) => Object.prototype.hasOwnProperty.call(b.inputs, node.id));
      if (!recorded) notes.push(`source "${node.id}" was not recorded in the run (added since, or renamed): it reads no records in the replay`);
      const batches = recording.batches.map((b) => (Object.prototype.hasOwnProperty.call(b.inputs, node.id) ? b.inputs[node.id] : []));
      return { ...node, kind: "queue", config: { batches, oneAtATime: true } };
    }
    if (WRITING_OUTPUTS.has(node.kind)) {
      notes.push(`output "${node.id}" (${node.kind}) does not write in a replay; its records are compared`);
      return { ...node, kind: "print", config: { num: 1 } };
    }
    return node;
  });
  return { document: { ...document, nodes }, notes };
}
