// Cassandra cluster settings as a node gives them, checked; no driver here (compile imports it).

/** Where a Cassandra cluster is: the driver's contact points and its local data center. */
export interface CassandraCluster {
  /** `host:port` or `host` (port 9042), one or more; the driver learns the other nodes from them. */
  readonly contactPoints: readonly string[];
  /** The data center the driver treats as local (`datacenter1` for a single node with SimpleSnitch). */
  readonly localDataCenter: string;
}

export const DEFAULT_CASSANDRA_CLUSTER: CassandraCluster = { contactPoints: ["localhost:9042"], localDataCenter: "datacenter1" };

/** Parses "host:port, host2" into contact points; refuses an empty list or a bad port. */
export function parseContactPoints(value: string | readonly string[] | undefined): string[] {
  const list = (typeof value === "string" ? value.split(",") : (value ?? DEFAULT_CASSANDRA_CLUSTER.contactPoints)).map((s) => s.trim()).filter((s) => s !== "");
  if (list.length === 0) throw new RangeError("Cassandra needs at least one contact point (host:port)");
  for (const point of list) {
    const port = /:(\d*)$/.exec(point)?.[1];
    if (port !== undefined && (!/^\d+$/.test(port) || Number(port) < 1 || Number(port) > 65535)) {
      throw new RangeError(`Cassandra contact point "${point}" has no valid port (1-65535)`);
    }
  }
  return list;
}

/** A CQL identifier as the user wrote it, checked (letters, digits, underscores; no quoting games). */
export function cqlIdentifier(value: string, what: string): string {
  if (!/^[A-Za-z][A-Za-z0-9_]{0,47}$/.test(value)) {
    throw new RangeError(`Cassandra ${what} "${value}" is not a plain CQL name (a letter, then letters, digits or _)`);
  }
  return value.toLowerCase();
}
