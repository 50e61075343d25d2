import type cassandra from "cassandra-driver";
import { cqlIdentifier } from "./CassandraConnection";

/** A table to read: keyspace.table, the key column and the value columns. */
export interface CassandraTableSpec {
  readonly keyspace: string;
  readonly table: string;
  readonly keyColumn: string;
  readonly valueColumns: readonly string[];
}

/** The table or a column does not exist: the message names it and what does exist. */
export class CassandraSchemaError extends Error {}

/**
 * The metadata of keyspace.table; a missing keyspace or table is named, with what does exist, so
 * that a typo is not reported as a CQL error.
 */
export async function cassandraTableMetadata(client: cassandra.Client, keyspaceName: string, tableName: string): Promise<cassandra.metadata.TableMetadata> {
  const keyspace = cqlIdentifier(keyspaceName, "keyspace");
  const table = cqlIdentifier(tableName, "table");
  await client.connect();
  if (!client.metadata.keyspaces[keyspace]) {
    await client.metadata.refreshKeyspace(keyspace).catch(() => undefined);
    if (!client.metadata.keyspaces[keyspace]) {
      const user = Object.keys(client.metadata.keyspaces).filter((k) => !k.startsWith("system")).sort();
      throw new CassandraSchemaError(`keyspace "${keyspace}" does not exist (keyspaces: ${user.join(", ") || "none but the system ones"})`);
    }
  }
  const meta = await client.metadata.getTable(keyspace, table);
  if (!meta) {
    const tables = await client.execute("SELECT table_name FROM system_schema.tables WHERE keyspace_name = ?", [keyspace], { prepare: true });
    const names = tables.rows.map((r) => String(r.table_name)).sort();
    throw new CassandraSchemaError(`table "${keyspace}.${table}" does not exist (tables of ${keyspace}: ${names.join(", ") || "none"})`);
  }
  return meta;
}

/** Checks that the table and its key and value columns exist. Resolves to the table's column names. */
export async function checkCassandraTable(client: cassandra.Client, spec: CassandraTableSpec): Promise<string[]> {
  const meta = await cassandraTableMetadata(client, spec.keyspace, spec.table);
  const columns = meta.columns.map((c) => c.name);
  for (const [what, name] of [["key column", spec.keyColumn], ...spec.valueColumns.map((c) => ["value column", c])] as const) {
    if (!columns.includes(cqlIdentifier(name, what))) {
      throw new CassandraSchemaError(`${what} "${name}" is not a column of ${cqlIdentifier(spec.keyspace, "keyspace")}.${meta.name} (columns: ${columns.join(", ")})`);
    }
  }
  return columns;
}

/**
 * Reads key and value columns of every row, a page of `fetchSize` rows at a time (the driver asks
 * for the next page only when this one is consumed), so that a table of millions of rows never
 * arrives as one response. Resolves to the rows as plain objects of the selected columns.
 */
export async function readCassandraTable(
  client: cassandra.Client,
  spec: CassandraTableSpec,
  options: { fetchSize?: number } = {},
): Promise<Record<string, unknown>[]> {
  await checkCassandraTable(client, spec);
  const columns = [spec.keyColumn, ...spec.valueColumns].map((c) => cqlIdentifier(c, "column"));
  const cql = `SELECT ${columns.join(", ")} FROM ${cqlIdentifier(spec.keyspace, "keyspace")}.${cqlIdentifier(spec.table, "table")}`;
  const rows: Record<string, unknown>[] = [];
  let pageState: string | undefined;
  do {
    const page = await client.execute(cql, [], { prepare: true, fetchSize: options.fetchSize ?? 5000, pageState });
    for (const row of page.rows) {
      const plain: Record<string, unknown> = {};
      for (const c of columns) plain[c] = row.get(c);
      rows.push(plain);
    }
    pageState = page.pageState ?? undefined;
  } while (pageState);
  return rows;
}
