import cassandra from "cassandra-driver";
import type { DStream } from "../dstream/DStream";
import type { ForEachDStream } from "../dstream/ForEachDStream";
import { cassandraErrorText, cqlIdentifier, type CassandraCluster } from "../sources/cassandra/CassandraConnection";
import { cassandraTableMetadata } from "../sources/cassandra/readTable";

export interface CassandraSinkOptions {
  readonly cluster: CassandraCluster;
  readonly keyspace: string;
  readonly table: string;
  /** Concurrent writes in flight (default 32). */
  readonly concurrency?: number;
}

/**
 * `foreachRDD` writing each record (an object whose fields are columns) as a row: CQL INSERT, which
 * is an upsert by primary key, so a batch written again after recovery leaves the same rows (no
 * duplicates). Each record must give every primary-key column; a field that is not a column is
 * refused, naming it. The batch's output completes when every write is acknowledged.
 */
export function cassandraSink(stream: DStream<unknown>, client: cassandra.Client, options: CassandraSinkOptions): ForEachDStream<unknown> {
  const keyspace = cqlIdentifier(options.keyspace, "keyspace");
  const table = cqlIdentifier(options.table, "table");
  const where = `${keyspace}.${table}`;
  let shape: Promise<{ columns: Set<string>; primaryKey: string[] }> | undefined;
  const describe = async () => {
    const meta = await cassandraTableMetadata(client, keyspace, table);
    return { columns: new Set(meta.columns.map((c) => c.name)), primaryKey: [...meta.partitionKeys, ...meta.clusteringKeys].map((c) => c.name) };
  };

  return stream.foreachRDD(async (rdd) => {
    const records = rdd.collect();
    if (records.length === 0) return;
    let described: { columns: Set<string>; primaryKey: string[] };
    try {
      described = await (shape ??= describe());
    } catch (e) {
      shape = undefined; // looked up again at the next batch
      throw new Error(`Cassandra output to ${where}: ${cassandraErrorText(e, options.cluster)}`, { cause: e });
    }
    // One prepared statement per set of columns (records may leave non-key columns out).
    const byColumns = new Map<string, unknown[][]>();
    for (const record of records) {
      if (typeof record !== "object" || record === null || Array.isArray(record)) {
        throw new Error(`Cassandra output to ${where}: records must be objects whose fields are columns, got ${JSON.stringify(record)}`);
      }
      const fields = Object.keys(record).filter((f) => (record as Record<string, unknown>)[f] !== undefined);
      for (const f of fields) {
        if (!described.columns.has(f)) throw new Error(`Cassandra output to ${where}: field "${f}" is not a column (columns: ${[...described.columns].join(", ")})`);
      }
      for (const k of described.primaryKey) {
        const v = (record as Record<string, unknown>)[k];
        if (v === undefined || v === null) throw new Error(`Cassandra output to ${where}: a record has no primary-key column "${k}": ${JSON.stringify(record)}`);
      }
      const key = fields.join(",");
      let rows = byColumns.get(key);
      if (rows === undefined) byColumns.set(key, (rows = []));
      rows.push(fields.map((f) => (record as Record<string, unknown>)[f]));
    }
    for (const [columns, params] of byColumns) {
      const cql = `INSERT INTO ${where} (${columns}) VALUES (${columns.split(",").map(() => "?").join(", ")})`;
      try {
        await cassandra.concurrent.executeConcurrent(client, cql, params, { concurrencyLevel: options.concurrency ?? 32 });
      } catch (e) {
        throw new Error(`Cassandra output to ${where}: ${cassandraErrorText(e, options.cluster)}`, { cause: e });
      }
    }
  });
}
