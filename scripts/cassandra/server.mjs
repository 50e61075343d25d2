// A local single-node Apache Cassandra run from the jars Maven fetches (cassandra-all, see pom.xml):
// startCassandra() fetches the jars once, writes cassandra.yaml into its data folder, launches the
// JVM detached and waits until CQL answers; stopCassandra() stops it again. Used by
// `npm run cassandra:start` / `cassandra:stop` and by the integration-test setup.
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import cassandra from "cassandra-driver";
import { jarSets } from "../setup/artifacts.mjs";
import { fetchJars, pomProperty } from "../setup/jars.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
export const rootDir = path.resolve(here, "..", "..");
const pomFile = path.join(here, "pom.xml");

export const CASSANDRA_VERSION = pomProperty(pomFile, "cassandra.version");
export const DEFAULT_PORT = 9042;
export const DEFAULT_DATA_DIR = path.join(rootDir, "data", "cassandra");
export const DEFAULT_HEAP = "768m";
export const DEFAULT_START_TIMEOUT_MS = 180_000;
/** Cassandra's data center name with SimpleSnitch: what clients give as their local data center. */
export const LOCAL_DATA_CENTER = "datacenter1";

const HOST = "127.0.0.1";

export function cassandraPaths(dataDir) {
  const dir = path.resolve(dataDir);
  return {
    dataDir: dir,
    pidFile: path.join(dir, "cassandra.pid"),
    configFile: path.join(dir, "cassandra.yaml"),
    stateFile: path.join(dir, "server.json"),
    logsDir: path.join(dir, "logs"),
    systemLog: path.join(dir, "logs", "system.log"),
    consoleLog: path.join(dir, "logs", "cassandra.out"),
  };
}

function parsePort(value, name) {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`${name} must be a TCP port (1-65535), got ${JSON.stringify(String(value))}`);
  }
  return port;
}

/** Options from explicit values, then the environment (CASSANDRA_PORT, ...), then defaults. */
export function resolveCassandraOptions(options = {}) {
  const env = process.env;
  const port = parsePort(options.port ?? env.CASSANDRA_PORT ?? DEFAULT_PORT, "port");
  const storagePort = parsePort(options.storagePort ?? env.CASSANDRA_STORAGE_PORT ?? port + 1, "storage port");
  if (storagePort === port) throw new Error(`the storage port must differ from the CQL port (${port})`);
  const timeoutMs = Number(options.timeoutMs ?? env.CASSANDRA_START_TIMEOUT_MS ?? DEFAULT_START_TIMEOUT_MS);
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new Error(`start timeout must be a positive number of ms, got ${JSON.stringify(String(timeoutMs))}`);
  }
  const heap = String(options.heap ?? env.CASSANDRA_HEAP ?? DEFAULT_HEAP);
  const heapMatch = /^(\d+)([mg])$/i.exec(heap);
  if (!heapMatch) throw new Error(`heap must look like 768m or 1g, got ${JSON.stringify(heap)}`);
  const heapMb = Number(heapMatch[1]) * (heapMatch[2].toLowerCase() === "g" ? 1024 : 1);
  if (heapMb < 256 || heapMb > 1024) throw new Error(`heap must be between 256m and 1g, got ${heap}`);
  const dataDir = path.resolve(rootDir, options.dataDir ?? env.CASSANDRA_DATA_DIR ?? DEFAULT_DATA_DIR);
  return { port, storagePort, timeoutMs, heap, dataDir, log: options.log ?? ((line) => console.log(line)) };
}

/** Listens on a loopback port (0: any) and closes again; resolves with the port, or null if taken. */
function probePort(port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(null));
    server.listen(port, HOST, () => {
      const bound = server.address().port;
      server.close(() => resolve(bound));
    });
  });
}

/** A free loopback port whose next port is free too (Cassandra's storage port takes it). */
export async function freeCassandraPort() {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = await probePort(0);
    if (port !== null && port < 65535 && (await probePort(port + 1)) !== null) return port;
  }
  throw new Error("found no two free consecutive loopback ports for Cassandra");
}

export function contactPoint(port) {
  return `${HOST}:${port}`;
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === "EPERM";
  }
}

/** The pid in the pid file if that process is still our Cassandra (guards against a reused pid). */
function runningPid(paths) {
  let pid;
  try {
    pid = Number(fs.readFileSync(paths.pidFile, "utf8").trim());
  } catch {
    return null;
  }
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return null;
  try {
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8");
    if (!cmdline.includes("CassandraDaemon") || !cmdline.includes(paths.configFile)) return null;
  } catch {
    // No /proc (macOS): trust the pid file.
  }
  return pid;
}

function portOpen(port, timeoutMs = 1000) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: HOST, port });
    const done = (open) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

/** Whether CQL answers at `contact` (host:port): resolves to { releaseVersion } or null. */
export async function probeCassandra(contact, timeoutMs = 3000) {
  const client = new cassandra.Client({
    contactPoints: [contact],
    localDataCenter: LOCAL_DATA_CENTER,
    socketOptions: { connectTimeout: timeoutMs, readTimeout: timeoutMs },
    policies: { reconnection: new cassandra.policies.reconnection.ConstantReconnectionPolicy(60_000) },
  });
  try {
    await client.connect();
    const result = await client.execute("SELECT release_version FROM system.local");
    return { releaseVersion: result.first()?.release_version ?? null };
  } catch {
    return null;
  } finally {
    await client.shutdown().catch(() => {});
  }
}

function tail(file, lines = 40) {
  try {
    return fs.readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no such file)";
  }
}

/** Cassandra's jars: fetched by Maven into .cache once (see scripts/setup/artifacts.mjs). */
export async function ensureCassandraJars(log = (line) => console.log(line)) {
  const set = jarSets().find((candidate) => candidate.pomFile === pomFile);
  if (!set) throw new Error(`scripts/setup/artifacts.mjs lists no jar set for ${pomFile}`);
  return fetchJars({ ...set, log });
}

function renderConfig(options, paths) {
  const template = fs.readFileSync(path.join(here, "cassandra.yaml"), "utf8");
  const values = {
    host: HOST,
    port: String(options.port),
    storagePort: String(options.storagePort),
    dataDir: paths.dataDir,
  };
  return template.replace(/\{\{(\w+)\}\}/g, (whole, key) => {
    if (!(key in values)) throw new Error(`unknown placeholder ${whole} in cassandra.yaml`);
    return values[key];
  });
}

/** The JVM flags Cassandra 5.0 needs on Java 17 (its conf/jvm17-server.options), and a lean start. */
function jvmArgs(options, paths, libs) {
  const jamm = fs.readdirSync(libs).find((file) => /^jamm-[\d.]+\.jar$/.test(file));
  const opens = [
    "java.base/java.lang.module",
    "java.base/jdk.internal.loader",
    "java.base/jdk.internal.ref",
    "java.base/jdk.internal.reflect",
    "java.base/jdk.internal.math",
    "java.base/jdk.internal.module",
    "java.base/jdk.internal.util.jar",
    "jdk.management/com.sun.management.internal",
    "java.base/sun.nio.ch",
    "java.base/java.io",
    "java.base/java.lang.reflect",
    "jdk.compiler/com.sun.tools.javac",
    "java.base/java.lang",
    "java.base/java.util",
  ];
  const exports = [
    "java.base/jdk.internal.misc",
    "java.management.rmi/com.sun.jmx.remote.internal.rmi",
    "java.rmi/sun.rmi.registry",
    "java.rmi/sun.rmi.server",
    "java.sql/java.sql",
    "java.base/java.lang.ref",
    "jdk.unsupported/sun.misc",
    "jdk.compiler/com.sun.tools.javac.file",
    "jdk.attach/sun.tools.attach",
  ];
  return [
    "-Xms256m",
    `-Xmx${options.heap}`,
    "-Xss256k",
    "-XX:+UseG1GC",
    "-XX:+ParallelRefProcEnabled",
    "-XX:MaxTenuringThreshold=1",
    "-XX:MaxGCPauseMillis=300",
    "-XX:+ExitOnOutOfMemoryError",
    // Two cores: fewer JIT and GC threads start faster and leave the machine usable.
    "-XX:CICompilerCount=2",
    "-XX:ParallelGCThreads=2",
    "-XX:ConcGCThreads=1",
    ...(jamm ? [`-javaagent:${path.join(libs, jamm)}`] : []),
    "-Djdk.attach.allowAttachSelf=true",
    ...exports.flatMap((name) => ["--add-exports", `${name}=ALL-UNNAMED`]),
    ...opens.flatMap((name) => ["--add-opens", `${name}=ALL-UNNAMED`]),
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Djava.net.preferIPv4Stack=true",
    "-Djava.awt.headless=true",
    `-Dcassandra.config=file://${paths.configFile}`,
    `-Dcassandra.storagedir=${paths.dataDir}`,
    `-Dcassandra.logdir=${paths.logsDir}`,
    `-Dlogback.configurationFile=${path.join(here, "logback.xml")}`,
    "-Dcassandra-foreground=yes",
    // One node, nobody to gossip with: do not wait for a ring to settle.
    "-Dcassandra.skip_wait_for_gossip_to_settle=0",
    "-Dcassandra.ring_delay_ms=0",
    "-Dcassandra.superuser_setup_delay_ms=0",
    "-Dcassandra.load_ring_state=false",
    // The per-row memtable overhead Cassandra otherwise measures at every start (about 6 s here);
    // 180 bytes is what it measures for SkipListMemtable on this JVM.
    "-Dcassandra.memtable.row_overhead_size=180",
    "-cp",
    path.join(libs, "*"),
    "org.apache.cassandra.service.CassandraDaemon",
  ];
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts Cassandra for `dataDir` on `port` unless CQL already answers there.
 * Resolves to { contactPoint, pid, dataDir, alreadyRunning, logFile, startedInMs }.
 */
export async function startCassandra(input = {}) {
  const options = resolveCassandraOptions(input);
  const { log } = options;
  const paths = cassandraPaths(options.dataDir);
  const contact = contactPoint(options.port);
  const started = Date.now();

  const existingPid = runningPid(paths);
  if (existingPid !== null || (await portOpen(options.port))) {
    if (await probeCassandra(contact)) {
      log(`Cassandra is already running on ${contact}${existingPid ? ` (pid ${existingPid})` : ""}.`);
      return { contactPoint: contact, pid: existingPid, dataDir: paths.dataDir, alreadyRunning: true, logFile: paths.systemLog, startedInMs: 0 };
    }
    if (existingPid === null) {
      throw new Error(`port ${options.port} on ${HOST} is in use by something that does not answer CQL`);
    }
    // Our Cassandra is still starting: fall through and wait for it.
  }

  let pid = existingPid;
  if (pid === null) {
    if (!(await probePort(options.storagePort))) {
      throw new Error(`Cassandra's storage port ${options.storagePort} on ${HOST} is in use; choose another with --storage-port`);
    }
    const libs = await ensureCassandraJars(log);
    fs.mkdirSync(paths.logsDir, { recursive: true });
    fs.writeFileSync(paths.configFile, renderConfig(options, paths));
    const out = fs.openSync(paths.consoleLog, "a");
    const java = spawn("java", jvmArgs(options, paths, libs), {
      cwd: paths.dataDir,
      detached: true,
      stdio: ["ignore", out, out],
    });
    fs.closeSync(out);
    if (java.pid === undefined) throw new Error("could not launch java (a JDK 17+ is needed)");
    java.unref();
    pid = java.pid;
    fs.writeFileSync(paths.pidFile, `${pid}\n`);
    fs.writeFileSync(
      paths.stateFile,
      JSON.stringify({ version: CASSANDRA_VERSION, contactPoint: contact, storagePort: options.storagePort, pid }, null, 2) + "\n",
    );
    log(`Starting Cassandra ${CASSANDRA_VERSION} on ${contact} (pid ${pid}, heap ${options.heap}, data in ${paths.dataDir}) ...`);
  }

  const deadline = Date.now() + options.timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) {
      fs.rmSync(paths.pidFile, { force: true });
      throw new Error(
        `Cassandra exited during startup. Last lines of ${paths.systemLog}:\n${tail(paths.systemLog)}\n` +
          `Last lines of ${paths.consoleLog}:\n${tail(paths.consoleLog, 20)}`,
      );
    }
    if ((await portOpen(options.port, 500)) && (await probeCassandra(contact, 5000))) {
      const startedInMs = Date.now() - started;
      log(`Cassandra is ready on ${contact} (${(startedInMs / 1000).toFixed(1)} s).`);
      return { contactPoint: contact, pid, dataDir: paths.dataDir, alreadyRunning: false, logFile: paths.systemLog, startedInMs };
    }
    await sleep(500);
  }
  // A server that never became ready is of no use and would hold the ports: stop it.
  await stopCassandra({ dataDir: paths.dataDir, log: () => {} });
  throw new Error(
    `Cassandra did not answer CQL on ${contact} within ${Math.round(options.timeoutMs / 1000)} s; it was stopped. ` +
      `Last lines of ${paths.systemLog}:\n${tail(paths.systemLog)}\nLast lines of ${paths.consoleLog}:\n${tail(paths.consoleLog, 20)}`,
  );
}

/**
 * Stops the Cassandra started from `dataDir` (SIGTERM, then SIGKILL after `graceMs`).
 * Resolves to { stopped: boolean, pid }; stopped is false when nothing was running.
 */
export async function stopCassandra(input = {}) {
  const dataDir = path.resolve(rootDir, input.dataDir ?? process.env.CASSANDRA_DATA_DIR ?? DEFAULT_DATA_DIR);
  const log = input.log ?? ((line) => console.log(line));
  const graceMs = input.graceMs ?? 30_000;
  const paths = cassandraPaths(dataDir);
  const pid = runningPid(paths);
  if (pid === null) {
    fs.rmSync(paths.pidFile, { force: true });
    log(`Cassandra is not running (data dir ${dataDir}).`);
    return { stopped: false, pid: null };
  }
  log(`Stopping Cassandra (pid ${pid}) ...`);
  process.kill(pid, "SIGTERM");
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) await sleep(200);
  if (isAlive(pid)) {
    log(`Cassandra did not stop within ${Math.round(graceMs / 1000)} s; killing it.`);
    process.kill(pid, "SIGKILL");
    while (isAlive(pid)) await sleep(100);
  }
  fs.rmSync(paths.pidFile, { force: true });
  log("Cassandra stopped.");
  return { stopped: true, pid };
}

/** Command-line flags shared by start.ts and stop.mjs: --port N, --data-dir DIR, ... */
export function parseCliFlags(argv, allowed) {
  const names = {
    "--port": "port",
    "--storage-port": "storagePort",
    "--data-dir": "dataDir",
    "--heap": "heap",
    "--timeout": "timeoutMs",
  };
  const options = {};
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const key = names[flag];
    if (!key || !allowed.includes(flag)) {
      throw new Error(`unknown argument ${JSON.stringify(argv[i])} (accepted: ${allowed.join(", ")})`);
    }
    const value = inline ?? argv[++i];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    options[key] = key === "timeoutMs" ? Number(value) * 1000 : value;
  }
  return options;
}
