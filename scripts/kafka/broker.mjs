// A local single-node Apache Kafka broker (KRaft) run from jars fetched by Maven:
// startBroker() fetches the jars once, formats the data directory once, launches the
// JVM detached and waits until the broker answers; stopBroker() stops it again.
// Used by `npm run kafka:start` / `kafka:stop` and by the integration-test setup.
import { spawn, spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import kafkajs from "kafkajs";
import { jarSets } from "../setup/artifacts.mjs";
import { fetchJars } from "../setup/jars.mjs";

const { Kafka, logLevel } = kafkajs;

const here = path.dirname(fileURLToPath(import.meta.url));
export const rootDir = path.resolve(here, "..", "..");
const pomFile = path.join(here, "pom.xml");

/** The broker version, read from the pom so that there is one place to change it. */
export const KAFKA_VERSION = (() => {
  const match = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(fs.readFileSync(pomFile, "utf8"));
  if (!match) throw new Error(`kafka.version is missing from ${pomFile}`);
  return match[1].trim();
})();

export const DEFAULT_PORT = 9092;
export const DEFAULT_DATA_DIR = path.join(rootDir, "data", "kafka");
export const DEFAULT_HEAP = "512m";
export const DEFAULT_START_TIMEOUT_MS = 90_000;

const HOST = "127.0.0.1";

/** Where Maven copies the jars: `.cache/kafka/<version>/libs` (git-ignored). */
export function libsDir() {
  return path.join(rootDir, ".cache", "kafka", KAFKA_VERSION, "libs");
}

/** Files of a broker data directory. */
export function brokerPaths(dataDir) {
  const dir = path.resolve(dataDir);
  return {
    dataDir: dir,
    pidFile: path.join(dir, "kafka.pid"),
    configFile: path.join(dir, "server.properties"),
    stateFile: path.join(dir, "broker.json"),
    logDirs: path.join(dir, "kraft"),
    logsDir: path.join(dir, "logs"),
    serverLog: path.join(dir, "logs", "server.log"),
    consoleLog: path.join(dir, "logs", "kafka.out"),
  };
}

function parsePort(value, name) {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`${name} must be a TCP port (1-65535), got ${JSON.stringify(String(value))}`);
  }
  return port;
}

/** Options from explicit values, then the environment (KAFKA_PORT, KAFKA_DATA_DIR, ...), then defaults. */
export function resolveBrokerOptions(options = {}) {
  const env = process.env;
  const port = parsePort(options.port ?? env.KAFKA_PORT ?? DEFAULT_PORT, "port");
  const controllerPort = parsePort(options.controllerPort ?? env.KAFKA_CONTROLLER_PORT ?? port + 1, "controller port");
  if (controllerPort === port) throw new Error(`the controller port must differ from the broker port (${port})`);
  const partitions = Number(options.partitions ?? env.KAFKA_NUM_PARTITIONS ?? 1);
  if (!Number.isInteger(partitions) || partitions < 1) {
    throw new Error(`partitions must be a positive integer, got ${JSON.stringify(String(partitions))}`);
  }
  const timeoutMs = Number(options.timeoutMs ?? env.KAFKA_START_TIMEOUT_MS ?? DEFAULT_START_TIMEOUT_MS);
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new Error(`start timeout must be a positive number of ms, got ${JSON.stringify(String(timeoutMs))}`);
  }
  const heap = String(options.heap ?? env.KAFKA_HEAP ?? DEFAULT_HEAP);
  if (!/^\d+[kmg]$/i.test(heap)) throw new Error(`heap must look like 512m or 1g, got ${JSON.stringify(heap)}`);
  const dataDir = path.resolve(rootDir, options.dataDir ?? env.KAFKA_DATA_DIR ?? DEFAULT_DATA_DIR);
  return {
    port,
    controllerPort,
    partitions,
    timeoutMs,
    heap,
    dataDir,
    log: options.log ?? ((line) => console.log(line)),
  };
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

/**
 * A free loopback port whose next port is free too (the broker's KRaft controller takes it), for
 * a broker of a test's own that never collides with one already running.
 */
export async function freeBrokerPort() {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = await probePort(0);
    if (port !== null && port < 65535 && (await probePort(port + 1)) !== null) return port;
  }
  throw new Error("found no two free consecutive loopback ports for a Kafka broker");
}

export function bootstrapAddress(port) {
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

/** The pid in the pid file if that process is still our broker (guards against a reused pid). */
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
    if (!cmdline.includes("kafka.Kafka") || !cmdline.includes(paths.configFile)) return null;
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

/**
 * Whether a Kafka broker answers a metadata request at `bootstrap` (host:port).
 * Returns the cluster id and broker count, or null.
 */
export async function probeBroker(bootstrap, timeoutMs = 3000) {
  const kafka = new Kafka({
    clientId: "dstream-studio-probe",
    brokers: [bootstrap],
    logLevel: logLevel.NOTHING,
    connectionTimeout: timeoutMs,
    requestTimeout: timeoutMs,
    retry: { retries: 0 },
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return { clusterId: cluster.clusterId, brokers: cluster.brokers.length };
  } catch {
    return null;
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

function tail(file, lines = 40) {
  try {
    const text = fs.readFileSync(file, "utf8").trimEnd().split("\n");
    return text.slice(-lines).join("\n");
  } catch {
    return "(no such file)";
  }
}

/**
 * The broker's jars: copied by Maven into the cache unless they are already there (no network
 * then), with a progress line per downloaded jar. Resolves to the folder.
 */
export async function ensureJars(log = (line) => console.log(line)) {
  const set = jarSets().find((candidate) => candidate.pomFile === pomFile);
  if (!set) throw new Error(`scripts/setup/artifacts.mjs lists no jar set for ${pomFile}`);
  return fetchJars({ ...set, log });
}

function renderConfig(options, paths) {
  const template = fs.readFileSync(path.join(here, "server.properties"), "utf8");
  const values = {
    host: HOST,
    port: String(options.port),
    controllerPort: String(options.controllerPort),
    logDirs: paths.logDirs,
    partitions: String(options.partitions),
  };
  return template.replace(/\{\{(\w+)\}\}/g, (whole, key) => {
    if (!(key in values)) throw new Error(`unknown placeholder ${whole} in server.properties`);
    return values[key];
  });
}

/**
 * Kafka's Uuid text form: 16 random bytes, base64url without padding (22 characters). Like Kafka's
 * Uuid.randomUuid, never one that starts with "-": the storage tool would read it as an option.
 */
export function newClusterId() {
  for (;;) {
    const id = crypto.randomBytes(16).toString("base64url");
    if (!id.startsWith("-")) return id;
  }
}

function formatStorage(libs, paths) {
  if (fs.existsSync(path.join(paths.logDirs, "meta.properties"))) return false;
  const result = spawnSync(
    "java",
    ["-cp", path.join(libs, "*"), "kafka.tools.StorageTool", "format", "-t", newClusterId(), "-c", paths.configFile],
    { encoding: "utf8" },
  );
  if (result.error) throw new Error(`could not run java (${result.error.message}); a JDK 17+ is needed`);
  if (result.status !== 0) {
    throw new Error(`kafka-storage format failed (exit ${result.status}):\n${(result.stdout + result.stderr).trim()}`);
  }
  return true;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts a broker for `dataDir` on `port` unless one already answers there.
 * Resolves to { bootstrap, pid, dataDir, alreadyRunning, logFile }.
 */
export async function startBroker(input = {}) {
  const options = resolveBrokerOptions(input);
  const { log } = options;
  const paths = brokerPaths(options.dataDir);
  const bootstrap = bootstrapAddress(options.port);

  const existingPid = runningPid(paths);
  if (existingPid !== null || (await portOpen(options.port))) {
    const answer = await probeBroker(bootstrap);
    if (answer) {
      log(`Kafka is already running on ${bootstrap}${existingPid ? ` (pid ${existingPid})` : ""}.`);
      return { bootstrap, pid: existingPid, dataDir: paths.dataDir, alreadyRunning: true, logFile: paths.serverLog };
    }
    if (existingPid === null) {
      throw new Error(`port ${options.port} on ${HOST} is in use by something that does not answer as a Kafka broker`);
    }
    // Our broker is still starting: fall through and wait for it.
  }

  let pid = existingPid;
  if (pid === null) {
    const libs = await ensureJars(log);
    fs.mkdirSync(paths.logsDir, { recursive: true });
    fs.mkdirSync(paths.logDirs, { recursive: true });
    fs.writeFileSync(paths.configFile, renderConfig(options, paths));
    if (formatStorage(libs, paths)) log(`Formatted a new KRaft data directory in ${paths.logDirs}`);

    const out = fs.openSync(paths.consoleLog, "a");
    const java = spawn(
      "java",
      [
        `-Xmx${options.heap}`,
        "-Xms128m",
        "-XX:+UseG1GC",
        "-XX:MaxGCPauseMillis=20",
        "-XX:+ExitOnOutOfMemoryError",
        "-Djava.awt.headless=true",
        `-Dkafka.logs.dir=${paths.logsDir}`,
        `-Dlog4j2.configurationFile=${path.join(here, "log4j2.yaml")}`,
        "-cp",
        path.join(libs, "*"),
        "kafka.Kafka",
        paths.configFile,
      ],
      { cwd: paths.dataDir, detached: true, stdio: ["ignore", out, out] },
    );
    fs.closeSync(out);
    if (java.pid === undefined) throw new Error("could not launch java");
    java.unref();
    pid = java.pid;
    fs.writeFileSync(paths.pidFile, `${pid}\n`);
    fs.writeFileSync(
      paths.stateFile,
      JSON.stringify({ version: KAFKA_VERSION, bootstrap, controllerPort: options.controllerPort, pid }, null, 2) +
        "\n",
    );
    log(`Starting Kafka ${KAFKA_VERSION} on ${bootstrap} (pid ${pid}, data in ${paths.dataDir}) ...`);
  }

  const deadline = Date.now() + options.timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) {
      fs.rmSync(paths.pidFile, { force: true });
      throw new Error(
        `the Kafka broker exited during startup. Last lines of ${paths.serverLog}:\n${tail(paths.serverLog)}\n` +
          `Last lines of ${paths.consoleLog}:\n${tail(paths.consoleLog, 20)}`,
      );
    }
    if (await probeBroker(bootstrap, 2000)) {
      log(`Kafka is ready on ${bootstrap}.`);
      return { bootstrap, pid, dataDir: paths.dataDir, alreadyRunning: false, logFile: paths.serverLog };
    }
    await sleep(500);
  }
  // A broker that never became ready is of no use and would hold the port: stop it.
  await stopBroker({ dataDir: paths.dataDir, log: () => {} });
  throw new Error(
    `Kafka did not answer on ${bootstrap} within ${Math.round(options.timeoutMs / 1000)} s; it was stopped. ` +
      `Last lines of ${paths.serverLog}:\n${tail(paths.serverLog)}\nLast lines of ${paths.consoleLog}:\n${tail(paths.consoleLog, 20)}`,
  );
}

/**
 * Stops the broker started from `dataDir` (SIGTERM, then SIGKILL after `graceMs`).
 * Resolves to { stopped: boolean, pid }; stopped is false when nothing was running.
 */
export async function stopBroker(input = {}) {
  const dataDir = path.resolve(rootDir, input.dataDir ?? process.env.KAFKA_DATA_DIR ?? DEFAULT_DATA_DIR);
  const log = input.log ?? ((line) => console.log(line));
  const graceMs = input.graceMs ?? 30_000;
  const paths = brokerPaths(dataDir);
  const pid = runningPid(paths);
  if (pid === null) {
    fs.rmSync(paths.pidFile, { force: true });
    log(`Kafka is not running (data dir ${dataDir}).`);
    return { stopped: false, pid: null };
  }
  log(`Stopping Kafka (pid ${pid}) ...`);
  process.kill(pid, "SIGTERM");
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) await sleep(200);
  if (isAlive(pid)) {
    log(`Kafka did not stop within ${Math.round(graceMs / 1000)} s; killing it.`);
    process.kill(pid, "SIGKILL");
    while (isAlive(pid)) await sleep(100);
  }
  fs.rmSync(paths.pidFile, { force: true });
  log("Kafka stopped.");
  return { stopped: true, pid };
}

/** Command-line flags shared by start.mjs and stop.mjs: --port N, --data-dir DIR, ... */
export function parseCliFlags(argv, allowed) {
  const names = {
    "--port": "port",
    "--controller-port": "controllerPort",
    "--data-dir": "dataDir",
    "--partitions": "partitions",
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
