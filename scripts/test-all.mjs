// `npm test`: the whole suite, in order: type check, lint, Vitest (unit, engine
// conformance, integration against a real Kafka broker), then browser tests in Chromium.
// First the setup (scripts/setup): the tools the suites need, installed when this process may,
// and the servers' jars; if a tool is missing and cannot be installed, no suite starts and one
// message says what is missing and how to install it.
// Every stage runs even when an earlier one failed; the last line is the summary
// `N passed, N failed` (each test counts one; type check and lint count one check each).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { rootDir } from "./db-target.mjs";
import { prepare } from "./setup/index.mjs";

const results = path.join(rootDir, "test-results");
fs.mkdirSync(results, { recursive: true });
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", FORCE_COLOR: "0" };
const bin = (pkg, file) => path.join(rootDir, "node_modules", pkg, file);

console.log("=== setup ===");
const setup = await prepare();
if (!setup.ok) {
  console.error(`\n${setup.message}\n`);
  console.log("0 passed, 1 failed");
  process.exit(1);
}
Object.assign(env, setup.env);

let passed = 0;
let failed = 0;
const lines = [];

function stage(name, args, count) {
  console.log(`\n=== ${name} ===`);
  const started = Date.now();
  const run = spawnSync(process.execPath, args, { cwd: rootDir, env, stdio: "inherit" });
  const counted = count(run.status === 0);
  // A runner that crashed before reporting still counts as one failure.
  if (run.status !== 0 && counted.failed === 0) counted.failed = 1;
  passed += counted.passed;
  failed += counted.failed;
  lines.push(`${name}: ${counted.passed} passed, ${counted.failed} failed (${((Date.now() - started) / 1000).toFixed(0)} s)`);
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    return null;
  }
}

const check = (ok) => ({ passed: ok ? 1 : 0, failed: ok ? 0 : 1 });

stage("typecheck", [bin("typescript", "bin/tsc"), "--noEmit", "-p", "tsconfig.json"], check);
stage("lint", [bin("eslint", "bin/eslint.js"), "."], check);

const vitestJson = path.join(results, "vitest.json");
fs.rmSync(vitestJson, { force: true });
stage(
  "vitest (unit, conformance, integration)",
  [bin("vitest", "vitest.mjs"), "run", "--reporter=default", "--reporter=json", `--outputFile.json=${vitestJson}`],
  () => {
    const report = readJson(vitestJson);
    return report ? { passed: report.numPassedTests, failed: report.numFailedTests } : { passed: 0, failed: 0 };
  },
);

const playwrightJson = path.join(results, "playwright.json");
fs.rmSync(playwrightJson, { force: true });
stage("browser (Playwright, Chromium)", [bin("@playwright/test", "cli.js"), "test"], () => {
  const stats = readJson(playwrightJson)?.stats;
  return stats ? { passed: stats.expected + stats.flaky, failed: stats.unexpected } : { passed: 0, failed: 0 };
});

console.log("\n=== summary ===");
for (const line of lines) console.log(line);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
