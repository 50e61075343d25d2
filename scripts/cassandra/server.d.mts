// Types for server.mjs, so TypeScript callers (schema.ts, the Vitest global setup) are checked.

export const CASSANDRA_VERSION: string;
export const DEFAULT_PORT: number;
export const DEFAULT_DATA_DIR: string;
export const DEFAULT_HEAP: string;
export const DEFAULT_START_TIMEOUT_MS: number;
export const LOCAL_DATA_CENTER: string;
export const rootDir: string;

export interface CassandraOptions {
  /** CQL native transport port on 127.0.0.1 (env CASSANDRA_PORT, default 9042). */
  port?: number | string;
  /** Inter-node storage port (env CASSANDRA_STORAGE_PORT, default port + 1). */
  storagePort?: number | string;
  /** Data folder: data, commit log, logs, pid file (env CASSANDRA_DATA_DIR, default data/cassandra). */
  dataDir?: string;
  /** JVM max heap, 256m to 1g (env CASSANDRA_HEAP, default 768m). */
  heap?: string;
  /** How long to wait for CQL to answer (env CASSANDRA_START_TIMEOUT_MS, default 180 s). */
  timeoutMs?: number;
  log?: (line: string) => void;
}

export interface StartedCassandra {
  /** host:port for clients' contact points. */
  contactPoint: string;
  pid: number | null;
  dataDir: string;
  /** True when CQL already answered on that port and nothing was launched. */
  alreadyRunning: boolean;
  logFile: string;
  /** From the call to CQL answering (0 when already running). */
  startedInMs: number;
}

export function resolveCassandraOptions(options?: CassandraOptions): Required<Omit<CassandraOptions, "port" | "storagePort">> & {
  port: number;
  storagePort: number;
};
export function contactPoint(port: number): string;
export function freeCassandraPort(): Promise<number>;
export function probeCassandra(contact: string, timeoutMs?: number): Promise<{ releaseVersion: string | null } | null>;
export function ensureCassandraJars(log?: (line: string) => void): Promise<string>;
export function startCassandra(options?: CassandraOptions): Promise<StartedCassandra>;
export function stopCassandra(options?: {
  dataDir?: string;
  graceMs?: number;
  log?: (line: string) => void;
}): Promise<{ stopped: boolean; pid: number | null }>;
export function parseCliFlags(argv: string[], allowed: string[]): CassandraOptions;
