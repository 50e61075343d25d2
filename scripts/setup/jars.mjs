// Jars fetched with Maven into .cache (Kafka now; Cassandra and others add their pom):
// once per version, with a progress line per downloaded jar so a first run shows what it is
// waiting for. Later calls find the `.complete` marker and touch neither Maven nor the network.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";
import { fileURLToPath } from "node:url";
import { stripVTControlCharacters } from "node:util";

export const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

/** A version property (e.g. `kafka.version`) read from a pom, so that each pom is the one place to change it. */
export function pomProperty(pomFile, name) {
  const text = fs.readFileSync(pomFile, "utf8");
  const escaped = name.replace(/\./g, "\\.");
  const match = new RegExp(`<${escaped}>([^<]+)</${escaped}>`).exec(text);
  if (!match) throw new Error(`${name} is missing from ${pomFile}`);
  return match[1].trim();
}

/** Whether the jars of `libs` were fetched completely before. */
export function jarsCached(libs) {
  return fs.existsSync(path.join(libs, ".complete"));
}

function megabytes(bytes) {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * Runs `mvn dependency:copy-dependencies` on `pomFile` unless `libs` already holds a complete set.
 * `mainJar` is the file-name prefix of the jar that must be there afterwards (checked, so that a
 * pom that resolves to nothing fails here and not when a JVM cannot find its main class).
 * Resolves to `libs`.
 */
export async function fetchJars({ label, pomFile, libs, mainJar, log = (line) => console.log(line) }) {
  if (jarsCached(libs)) return libs;
  const started = Date.now();
  log(`${label}: fetching jars with Maven into ${path.relative(rootDir, libs)} (once; later runs use the cache)`);
  // Not -q: Maven's "Downloaded from" lines are the progress; everything else is kept for errors.
  const child = spawn("mvn", ["-B", "-f", pomFile, "dependency:copy-dependencies"], {
    cwd: path.dirname(pomFile),
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output = [];
  let downloaded = 0;
  const onLine = (raw) => {
    const line = stripVTControlCharacters(raw);
    output.push(line);
    if (output.length > 400) output.shift();
    // e.g. "Downloaded from central: https://repo.maven.apache.org/.../kafka_2.13-4.4.0.jar (6.6 MB at 2.1 MB/s)"
    const match = /^(?:\[INFO\] )?Downloaded from [^:]+: (\S+\.jar) \(([^)]*?)(?: at [^)]*)?\)/.exec(line);
    if (match) {
      downloaded++;
      log(`${label}: downloaded ${match[1].split("/").pop()} (${match[2]})`);
    }
  };
  readline.createInterface({ input: child.stdout }).on("line", onLine);
  readline.createInterface({ input: child.stderr }).on("line", onLine);
  const status = await new Promise((resolve, reject) => {
    child.once("error", (error) =>
      reject(new Error(`could not run mvn (${error.message}); Maven 3 and a JDK 17+ are needed to fetch ${label}`)),
    );
    child.once("close", (code) => resolve(code));
  });
  if (status !== 0) {
    const errors = output.filter((line) => line.startsWith("[ERROR]")).slice(0, 20);
    throw new Error(
      `mvn dependency:copy-dependencies for ${label} failed (exit ${status}):\n${(errors.length ? errors : output.slice(-30)).join("\n")}`,
    );
  }
  const jars = fs.existsSync(libs) ? fs.readdirSync(libs).filter((f) => f.endsWith(".jar")) : [];
  if (!jars.some((f) => f.startsWith(mainJar))) {
    throw new Error(`Maven finished but ${libs} holds no ${mainJar}*.jar`);
  }
  const bytes = jars.reduce((sum, f) => sum + fs.statSync(path.join(libs, f)).size, 0);
  fs.writeFileSync(path.join(libs, ".complete"), `${jars.length} jars\n`);
  log(
    `${label}: ${jars.length} jars, ${megabytes(bytes)} in ${path.relative(rootDir, libs)} ` +
      `(${downloaded} downloaded, ${((Date.now() - started) / 1000).toFixed(0)} s)`,
  );
  return libs;
}
