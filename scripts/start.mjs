// `npm start`: prepares the database, builds the app when the build is missing or older
// than the sources, then runs the server (Next.js + socket.io on one port).
//   --dev   run Next.js in development mode instead (no build)
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { rootDir } from "./db-target.mjs";

const dev = process.argv.includes("--dev");
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };

function run(cmd, args) {
  const result = spawnSync(cmd, args, { cwd: rootDir, env, stdio: "inherit" });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

function newestMtime(entry) {
  const full = path.join(rootDir, entry);
  if (!fs.existsSync(full)) return 0;
  const stat = fs.statSync(full);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const child of fs.readdirSync(full)) {
    if (child === "node_modules" || child === "generated") continue;
    newest = Math.max(newest, newestMtime(path.join(entry, child)));
  }
  return newest;
}

function buildIsCurrent() {
  const buildId = path.join(rootDir, ".next", "BUILD_ID");
  if (!fs.existsSync(buildId)) return false;
  const built = fs.statSync(buildId).mtimeMs;
  const sources = ["app", "components", "engine", "server", "public", "next.config.js", "package-lock.json", "tsconfig.json"];
  return sources.every((s) => newestMtime(s) <= built);
}

run(process.execPath, [path.join(rootDir, "scripts", "prepare-db.mjs")]);
if (!dev && !buildIsCurrent()) {
  console.log("Building the app (first start, or sources changed)…");
  run(process.execPath, [path.join(rootDir, "node_modules", "next", "dist", "bin", "next"), "build"]);
}

const tsx = path.join(rootDir, "node_modules", "tsx", "dist", "cli.mjs");
const server = spawn(process.execPath, [tsx, path.join(rootDir, "server", "index.ts"), ...(dev ? ["--dev"] : [])], {
  cwd: rootDir,
  env: { ...env, NODE_ENV: dev ? "development" : "production" },
  stdio: "inherit",
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
