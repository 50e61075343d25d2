import type { DStream } from "../../dstream/DStream";
import type { ForEachDStream } from "../../dstream/ForEachDStream";
import type { StreamingContext } from "../../streaming/StreamingContext";
import { cassandraSink } from "../../sinks/cassandraSink";
import { cassandraClient, type CassandraCluster } from "./CassandraConnection";
import { CassandraLookupTable } from "./CassandraLookupTable";
import type { CassandraTableSpec } from "./readTable";

export interface CassandraLookupRequest extends CassandraTableSpec {
  readonly cluster: CassandraCluster;
  readonly refreshEveryBatches: number;
  readonly nodeId: string;
}

export interface CassandraSinkRequest {
  readonly cluster: CassandraCluster;
  readonly keyspace: string;
  readonly table: string;
  readonly nodeId: string;
}

/** What a compile environment's `cassandra` entry offers: lookup tables and outputs. */
export interface CassandraEnvironment {
  lookup(ssc: StreamingContext, request: CassandraLookupRequest): () => ReadonlyMap<unknown, Record<string, unknown>>;
  /** Registers the output; returns its foreachRDD stream. */
  sink(stream: DStream<unknown>, request: CassandraSinkRequest): ForEachDStream<unknown>;
}

/**
 * The `cassandra` entry of a pipeline's compile environment: each lookup join and each output gets
 * a driver client of its own, shut down when the context stops.
 */
export function cassandraPipelineEnvironment(): CassandraEnvironment {
  const closeOnStop = (ssc: StreamingContext, client: { shutdown(): Promise<void> }) =>
    ssc.addStreamingListener((e) => {
      if (e.type === "streamingStopped") void client.shutdown().catch(() => undefined);
    });
  return {
    lookup(ssc, request) {
      const client = cassandraClient(request.cluster);
      closeOnStop(ssc, client);
      const table = new CassandraLookupTable(ssc, client, request);
      return () => table.current();
    },
    sink(stream, request) {
      const client = cassandraClient(request.cluster);
      closeOnStop(stream.ssc, client);
      return cassandraSink(stream, client, request);
    },
  };
}
