// Types for broker.mjs, so TypeScript callers (the Vitest global setup) are checked.

export const KAFKA_VERSION: string;
export const DEFAULT_PORT: number;
export const DEFAULT_DATA_DIR: string;
export const DEFAULT_HEAP: string;
export const DEFAULT_START_TIMEOUT_MS: number;
export const rootDir: string;

export interface BrokerOptions {
  /** Client port on 127.0.0.1 (env KAFKA_PORT, default 9092). */
  port?: number | string;
  /** KRaft controller port (env KAFKA_CONTROLLER_PORT, default port + 1). */
  controllerPort?: number | string;
  /** Data directory: topic data, pid file, logs (env KAFKA_DATA_DIR, default data/kafka). */
  dataDir?: string;
  /** Default partition count of auto-created topics (env KAFKA_NUM_PARTITIONS, default 1). */
  partitions?: number | string;
  /** JVM max heap, e.g. "512m" (env KAFKA_HEAP). */
  heap?: string;
  /** How long to wait for the broker to answer (env KAFKA_START_TIMEOUT_MS, default 90 s). */
  timeoutMs?: number;
  /** Progress messages; console.log by default. */
  log?: (line: string) => void;
}

export interface ResolvedBrokerOptions {
  port: number;
  controllerPort: number;
  partitions: number;
  timeoutMs: number;
  heap: string;
  dataDir: string;
  log: (line: string) => void;
}

export interface StartedBroker {
  /** host:port to give clients as bootstrap servers. */
  bootstrap: string;
  pid: number | null;
  dataDir: string;
  /** True when a broker already answered on that port and nothing was launched. */
  alreadyRunning: boolean;
  logFile: string;
}

export interface BrokerPaths {
  dataDir: string;
  pidFile: string;
  configFile: string;
  stateFile: string;
  logDirs: string;
  logsDir: string;
  serverLog: string;
  consoleLog: string;
}

export function resolveBrokerOptions(options?: BrokerOptions): ResolvedBrokerOptions;
export function bootstrapAddress(port: number): string;
export function libsDir(): string;
export function brokerPaths(dataDir: string): BrokerPaths;
export function ensureJars(log?: (line: string) => void): Promise<string>;
export function probeBroker(
  bootstrap: string,
  timeoutMs?: number,
): Promise<{ clusterId: string; brokers: number } | null>;
export function startBroker(options?: BrokerOptions): Promise<StartedBroker>;
export function stopBroker(options?: {
  dataDir?: string;
  graceMs?: number;
  log?: (line: string) => void;
}): Promise<{ stopped: boolean; pid: number | null }>;
export function parseCliFlags(argv: string[], allowed: string[]): BrokerOptions;

/** A free loopback port whose next port is free too (the broker's KRaft controller takes it). */
export function freeBrokerPort(): Promise<number>;

/** A new KRaft cluster id: Kafka's Uuid text form, never starting with "-". */
export function newClusterId(): string;
