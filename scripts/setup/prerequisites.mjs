// The tools `npm test` needs beyond Node.js: Chromium (browser tests), a JDK 17+ (the Kafka and
// Cassandra servers the integration tests start) and Maven (fetches their jars). Missing ones are
// installed with apt-get when this process may (root, or passwordless sudo); otherwise the caller
// gets one message naming what is missing and the command that installs it.
// DSS_NO_INSTALL=1 turns installing off.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

/** Finds an executable `name` on `envPath` (a PATH value); null when there is none. */
export function findOnPath(name, envPath) {
  for (const dir of (envPath ?? "").split(path.delimiter)) {
    if (!dir) continue;
    const file = path.join(dir, name);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      if (fs.statSync(file).isFile()) return file;
    } catch {
      // not here
    }
  }
  return null;
}

function isExecutable(file) {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The major version `java -version` reports (17 for "17.0.15", 8 for "1.8.0_392"), or null. */
export function javaMajorVersion(javaFile) {
  const result = spawnSync(javaFile, ["-version"], {
    encoding: "utf8",
    timeout: 15_000,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const match = /version "(\d+)(?:\.(\d+))?/.exec(`${result.stderr ?? ""}${result.stdout ?? ""}`);
  if (!match) return null;
  const first = Number(match[1]);
  return first === 1 && match[2] ? Number(match[2]) : first;
}

/**
 * Each tool: what it is for, how it is found, and the Debian package that provides it.
 * `find` returns { ok: true, path } or { ok: false, problem }.
 */
const TOOLS = [
  {
    name: "Chromium",
    purpose: "the browser tests",
    aptPackage: "chromium",
    find(env) {
      if (env.CHROMIUM_PATH) {
        return isExecutable(env.CHROMIUM_PATH)
          ? { ok: true, path: env.CHROMIUM_PATH }
          : { ok: false, problem: `CHROMIUM_PATH=${env.CHROMIUM_PATH} is not an executable file` };
      }
      const found = findOnPath("chromium", env.PATH) ?? findOnPath("chromium-browser", env.PATH);
      return found
        ? { ok: true, path: found }
        : { ok: false, problem: "no chromium on PATH and CHROMIUM_PATH is not set" };
    },
  },
  {
    name: "a JDK 17+",
    purpose: "the Kafka and Cassandra servers of the integration tests",
    aptPackage: "default-jdk-headless",
    find(env) {
      const java = findOnPath("java", env.PATH);
      if (!java) return { ok: false, problem: "no java on PATH" };
      const major = javaMajorVersion(java);
      if (major === null) return { ok: false, problem: `${java} -version printed no version` };
      if (major < 17) return { ok: false, problem: `${java} is Java ${major}` };
      return { ok: true, path: java };
    },
  },
  {
    name: "Maven",
    purpose: "fetching the servers' jars from Maven Central",
    aptPackage: "maven",
    find(env) {
      const mvn = findOnPath("mvn", env.PATH);
      return mvn ? { ok: true, path: mvn } : { ok: false, problem: "no mvn on PATH" };
    },
  },
];

/** The tools that are missing: [{ name, purpose, aptPackage, problem }]; `found` maps the others to their paths. */
export function checkTools(env = process.env) {
  const missing = [];
  const found = {};
  for (const tool of TOOLS) {
    const result = tool.find(env);
    if (result.ok) found[tool.aptPackage] = result.path;
    else missing.push({ name: tool.name, purpose: tool.purpose, aptPackage: tool.aptPackage, problem: result.problem });
  }
  return { missing, found };
}

/**
 * How this process may run apt-get: ["apt-get"] as root, ["sudo", "-n", "apt-get"] with
 * passwordless sudo; or { reason } why it may not.
 */
export function installer(env = process.env) {
  if (env.DSS_NO_INSTALL === "1") return { reason: "DSS_NO_INSTALL=1 is set" };
  const aptGet = findOnPath("apt-get", env.PATH);
  if (!aptGet) return { reason: "there is no apt-get on this system" };
  if (typeof process.getuid === "function" && process.getuid() === 0) return { command: [aptGet] };
  const sudo = findOnPath("sudo", env.PATH);
  if (!sudo) return { reason: "this user is not root and there is no sudo" };
  const probe = spawnSync(sudo, ["-n", "true"], { env, stdio: "ignore", timeout: 10_000 });
  if (probe.status !== 0) return { reason: "sudo asks for a password (run the command below yourself)" };
  return { command: [sudo, "-n", aptGet] };
}

/** The one message for missing tools: what, why, and the command that installs them. */
export function missingMessage(missing, reason) {
  const lines = [`npm test needs tools that are missing on this machine:`];
  for (const tool of missing) lines.push(`  - ${tool.name}, for ${tool.purpose} (${tool.problem})`);
  const packages = missing.map((tool) => tool.aptPackage).join(" ");
  lines.push(`Install them with:`);
  lines.push(`  sudo apt-get update && sudo apt-get install -y ${packages}`);
  lines.push(
    `(Debian or Ubuntu; elsewhere install ${missing.map((tool) => tool.name).join(", ")} and put them on PATH` +
      `${missing.some((tool) => tool.aptPackage === "chromium") ? ", or set CHROMIUM_PATH to the browser" : ""}.)`,
  );
  if (reason) lines.push(`npm test did not install them itself: ${reason}.`);
  return lines.join("\n");
}

function run(command, args, env, logFile) {
  return new Promise((resolve) => {
    const out = fs.openSync(logFile, "a");
    const child = spawn(command, args, {
      env: { ...env, DEBIAN_FRONTEND: "noninteractive" },
      stdio: ["ignore", out, out],
    });
    fs.closeSync(out);
    child.once("error", (error) => resolve({ status: null, error }));
    child.once("close", (status) => resolve({ status }));
  });
}

function tail(file, lines) {
  try {
    return fs.readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "";
  }
}

/**
 * Makes sure the tools are there: installs missing ones when allowed, re-checks.
 * Resolves to { ok: true, env } (env: variables the suites should get, e.g. CHROMIUM_PATH)
 * or { ok: false, message }.
 */
export async function ensureTools({ env = process.env, log = (line) => console.log(line), logFile } = {}) {
  let { missing, found } = checkTools(env);
  if (missing.length > 0) {
    const how = installer(env);
    if (!how.command) return { ok: false, message: missingMessage(missing, how.reason) };
    const packages = missing.map((tool) => tool.aptPackage);
    const aptLog = logFile ?? path.join(process.cwd(), ".cache", "setup-apt.log");
    fs.mkdirSync(path.dirname(aptLog), { recursive: true });
    log(`installing ${packages.join(", ")} with apt-get (a few minutes on a fresh machine; log in ${aptLog})`);
    const [command, ...prefix] = how.command;
    const update = await run(command, [...prefix, "update", "-qq"], env, aptLog);
    const install =
      update.status === 0 ? await run(command, [...prefix, "install", "-y", "-qq", ...packages], env, aptLog) : update;
    if (install.status !== 0) {
      return {
        ok: false,
        message:
          `${missingMessage(missing)}\napt-get failed (${install.error?.message ?? `exit ${install.status}`}); ` +
          `last lines of ${aptLog}:\n${tail(aptLog, 15)}`,
      };
    }
    ({ missing, found } = checkTools(env));
    if (missing.length > 0) {
      return {
        ok: false,
        message: `${missingMessage(missing)}\napt-get installed ${packages.join(" ")}, yet these are still missing.`,
      };
    }
    log(`installed ${packages.join(", ")}`);
  }
  // The browser tests read CHROMIUM_PATH; pass on where the browser was found.
  return { ok: true, env: { CHROMIUM_PATH: found.chromium } };
}
