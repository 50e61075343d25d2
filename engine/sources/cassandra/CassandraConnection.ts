import cassandra from "cassandra-driver";
import type { CassandraCluster } from "./cluster";

// A run process is a hardened realm (SES lockdown): Error.prototype.message is frozen, and the
// driver's errors assign `this.message` in strict code, which would then throw instead of making
// the error. A writable `message` on the driver's own base error prototype (not an intrinsic, so
// lockdown leaves it alone) makes that assignment define the error's own property again.
Object.defineProperty(cassandra.errors.DriverError.prototype, "message", { value: "", writable: true, configurable: true, enumerable: false });

export { DEFAULT_CASSANDRA_CLUSTER, cqlIdentifier, parseContactPoints, type CassandraCluster } from "./cluster";

/** A driver client for `cluster`; connecting is left to the first query (or `client.connect()`). */
export function cassandraClient(cluster: CassandraCluster, timeoutMs = 5000): cassandra.Client {
  return new cassandra.Client({
    contactPoints: [...cluster.contactPoints],
    localDataCenter: cluster.localDataCenter,
    socketOptions: { connectTimeout: timeoutMs, readTimeout: 30_000 },
    // Reconnecting is ours to schedule (with the run's backoff); the driver should not retry behind it.
    policies: { reconnection: new cassandra.policies.reconnection.ConstantReconnectionPolicy(2000) },
  });
}

/** A driver error as one line, naming the cluster (the driver's NoHostAvailableError lists every host). */
export function cassandraErrorText(error: unknown, cluster: CassandraCluster): string {
  const where = cluster.contactPoints.join(",");
  if (error instanceof cassandra.errors.NoHostAvailableError) {
    const inner = Object.values(error.innerErrors ?? {}).map((e) => (e instanceof Error ? e.message : String(e)));
    return `Cassandra at ${where} is unreachable${inner.length ? ` (${[...new Set(inner)].join("; ")})` : ""}`;
  }
  return `Cassandra at ${where}: ${error instanceof Error ? error.message : String(error)}`;
}
