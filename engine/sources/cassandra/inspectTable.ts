import { cassandraClient, cassandraErrorText } from "./CassandraConnection";
import type { CassandraInspection, CassandraTableRef } from "./columnDiagnostics";
import { CassandraSchemaError, cassandraTableMetadata } from "./readTable";

/**
 * Looks a table up in the cluster's schema, for the editor's diagnostics: its columns, or which of
 * keyspace and table is missing (with what exists), or why the cluster did not answer. Never throws.
 */
export async function inspectCassandraTable(ref: CassandraTableRef, timeoutMs = 3000): Promise<CassandraInspection> {
  const cluster = { contactPoints: [...ref.contactPoints], localDataCenter: ref.localDataCenter };
  const client = cassandraClient(cluster, timeoutMs);
  try {
    const meta = await cassandraTableMetadata(client, ref.keyspace, ref.table);
    return { kind: "columns", columns: meta.columns.map((c) => c.name) };
  } catch (e) {
    if (e instanceof CassandraSchemaError) return { kind: "missing", message: e.message };
    return { kind: "unreachable", message: cassandraErrorText(e, cluster) };
  } finally {
    await client.shutdown().catch(() => undefined);
  }
}
