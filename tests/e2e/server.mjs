// Starts the app for the browser tests on a fresh SQLite database of its own, so that a
// developer's data/ is never touched and every run begins on a new installation.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const dbFile = path.join(rootDir, "data", "e2e", "studio.db");
fs.rmSync(path.dirname(dbFile), { recursive: true, force: true });
fs.mkdirSync(path.dirname(dbFile), { recursive: true });

const child = spawn(process.execPath, [path.join(rootDir, "scripts", "start.mjs")], {
  cwd: rootDir,
  env: { ...process.env, DATABASE_URL: `file:${dbFile}` },
  stdio: "inherit",
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code) => process.exit(code ?? 0));
