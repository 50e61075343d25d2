// Diagnostics from an inspected Cassandra table: pure and browser-safe (no driver here), so the
// editor can show them. The inspection itself (inspectTable.ts) runs on the server.
import { nodeDefinition } from "../../pipeline/catalog";
import type { Diagnostic } from "../../pipeline/diagnostics";
import type { PipelineDocument } from "../../pipeline/document";

/** A Cassandra table as a lookup join names it. */
export interface CassandraTableRef {
  readonly contactPoints: readonly string[];
  readonly localDataCenter: string;
  readonly keyspace: string;
  readonly table: string;
}

/** What inspecting a table found: its columns, that it (or its keyspace) does not exist, or no answer. */
export type CassandraInspection =
  | { readonly kind: "columns"; readonly columns: readonly string[] }
  | { readonly kind: "missing"; readonly message: string }
  | { readonly kind: "unreachable"; readonly message: string };

/** One lookup join reading a Cassandra table. */
export interface CassandraLookupUse {
  readonly nodeId: string;
  readonly ref: CassandraTableRef;
  /** Identifies the table (cluster and name): inspections are kept by it. */
  readonly key: string;
  readonly keyField: string;
  readonly valueField: string;
}

export const cassandraTableKey = (ref: CassandraTableRef): string =>
  JSON.stringify([[...ref.contactPoints].sort(), ref.localDataCenter, ref.keyspace.toLowerCase(), ref.table.toLowerCase()]);

/** The lookup joins of `doc` whose source is Cassandra, with their config completed by its defaults. */
export function cassandraLookups(doc: PipelineDocument): CassandraLookupUse[] {
  const def = nodeDefinition("lookupJoin");
  const uses: CassandraLookupUse[] = [];
  for (const node of doc.nodes) {
    if (node.kind !== "lookupJoin" || !def) continue;
    const parsed = def.config.safeParse(node.config);
    // An invalid config has diagnostics of its own already.
    if (!parsed.success) continue;
    const c = parsed.data as { source: string; contactPoints: string[]; localDataCenter: string; keyspace: string; table: string; keyField: string; valueField: string };
    if (c.source !== "cassandra") continue;
    const ref = { contactPoints: c.contactPoints, localDataCenter: c.localDataCenter, keyspace: c.keyspace, table: c.table };
    uses.push({ nodeId: node.id, ref, key: cassandraTableKey(ref), keyField: c.keyField, valueField: c.valueField });
  }
  return uses;
}

/**
 * A key or value column that the inspected table does not have is an error (the run would wait for
 * it for ever); a missing keyspace or table is a warning (it may be created before the run, which
 * waits for it). An unreachable cluster or a table not inspected yet says nothing.
 */
export function cassandraColumnDiagnostics(doc: PipelineDocument, inspected: ReadonlyMap<string, CassandraInspection>): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const use of cassandraLookups(doc)) {
    const found = inspected.get(use.key);
    const where = `${use.ref.keyspace}.${use.ref.table}`;
    if (found?.kind === "missing") {
      out.push({ nodeId: use.nodeId, field: "table", severity: "warning", code: "cassandra-table", message: `Lookup join ${use.nodeId}: ${found.message} at ${use.ref.contactPoints.join(",")}; a run waits until it exists.` });
    } else if (found?.kind === "columns") {
      for (const [field, column] of [["keyField", use.keyField], ["valueField", use.valueField]] as const) {
        if (found.columns.includes(column.toLowerCase())) continue;
        out.push({
          nodeId: use.nodeId,
          field,
          severity: "error",
          code: "cassandra-table",
          message: `Lookup join ${use.nodeId}: ${field} "${column}" is not a column of Cassandra table ${where} (columns: ${found.columns.join(", ")}).`,
        });
      }
    }
  }
  return out;
}
