// `npm run spark:build`: builds the Spark runner (spark/, Maven) once and keeps it: the build is
// skipped while spark/pom.xml and spark/src are unchanged (a hash in spark/target). Maven runs
// offline first (a warm ~/.m2 needs no network) and online when something is missing.
import { spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const sparkDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../spark");
export const runnerJar = path.join(sparkDir, "target", "dstream-studio-spark-runner-0.1.0.jar");
export const classpathFile = path.join(sparkDir, "target", "classpath.txt");
const hashFile = path.join(sparkDir, "target", "build.hash");

function files(dir) {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

/** A hash of everything the runner is built from. */
export function sourceHash() {
  const hash = crypto.createHash("sha256");
  for (const file of [path.join(sparkDir, "pom.xml"), ...files(path.join(sparkDir, "src")).sort()]) {
    hash.update(path.relative(sparkDir, file)).update("\0").update(fs.readFileSync(file)).update("\0");
  }
  return hash.digest("hex");
}

export function isBuilt() {
  try {
    return (
      fs.existsSync(runnerJar) && fs.existsSync(classpathFile) && fs.readFileSync(hashFile, "utf8") === sourceHash()
    );
  } catch {
    return false;
  }
}

/** Builds unless built; returns how long it took in ms (0 when cached). Throws when Maven fails. */
export function buildRunner({ quiet = false } = {}) {
  if (isBuilt()) return 0;
  const started = Date.now();
  const hash = sourceHash();
  const mvn = (offline) =>
    spawnSync("mvn", ["-B", "-q", ...(offline ? ["-o"] : []), "package"], {
      cwd: sparkDir,
      stdio: quiet ? "pipe" : "inherit",
      encoding: "utf8",
    });
  let run = mvn(true);
  if (run.status !== 0) run = mvn(false);
  if (run.error) throw new Error(`could not start Maven (mvn): ${run.error.message}`);
  if (run.status !== 0)
    throw new Error(
      `the Spark runner did not build (mvn package exited ${run.status})${quiet ? `:\n${run.stdout}\n${run.stderr}` : ""}`,
    );
  fs.writeFileSync(hashFile, hash);
  return Date.now() - started;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const ms = buildRunner();
  console.log(
    ms === 0
      ? `Spark runner up to date: ${runnerJar}`
      : `Spark runner built in ${(ms / 1000).toFixed(1)} s: ${runnerJar}`,
  );
}
