// Makes the database ready with no manual step: generates the Prisma client for the
// chosen provider and creates or updates the tables (`prisma db push`). Both run with the
// JavaScript engines and driver adapters, so nothing is downloaded.
//   --generate-only   only (re)generate the client (used by npm's postinstall)
import { spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { databaseTarget, dataDir, renderSchema, rootDir } from "./db-target.mjs";

const generateOnly = process.argv.includes("--generate-only");
const target = databaseTarget();
renderSchema(target);

// Prisma's CLI looks for native engines it does not use with driver adapters and the
// JavaScript schema engine; pointing it at an existing file keeps it from downloading them.
const placeholder = path.join(rootDir, "package.json");
const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? placeholder,
  PRISMA_QUERY_ENGINE_LIBRARY: process.env.PRISMA_QUERY_ENGINE_LIBRARY ?? placeholder,
  PRISMA_HIDE_UPDATE_MESSAGE: "1",
  CHECKPOINT_DISABLE: "1",
};

const schemaText = fs.readFileSync(target.schemaPath, "utf8");
const fingerprint = crypto.createHash("sha256").update(target.provider).update(schemaText).digest("hex");
const clientDir = path.join(rootDir, "server", "db", "generated", "client");
const clientStamp = path.join(clientDir, ".fingerprint");

function prisma(args) {
  const cli = path.join(rootDir, "node_modules", "prisma", "build", "index.js");
  const preload = path.join(rootDir, "scripts", "prisma-unref-timers.cjs");
  const result = spawnSync(process.execPath, ["--require", preload, cli, ...args, "--schema", target.schemaPath], {
    cwd: rootDir,
    env,
    stdio: ["ignore", "pipe", "pipe"],
    encoding: "utf8",
  });
  if (result.status !== 0) {
    process.stderr.write(result.stdout + result.stderr);
    throw new Error(`prisma ${args.join(" ")} failed (exit ${result.status})`);
  }
}

function readStamp(file) {
  try {
    return fs.readFileSync(file, "utf8").trim();
  } catch {
    return "";
  }
}

if (readStamp(clientStamp) !== fingerprint) {
  prisma(["generate"]);
  fs.writeFileSync(clientStamp, fingerprint);
  console.log(`Prisma client generated for ${target.provider}.`);
}

if (!generateOnly) {
  fs.mkdirSync(target.sqliteFile ? path.dirname(target.sqliteFile) : dataDir, { recursive: true });
  // SQLite: push only when the file is new or the schema changed; PostgreSQL: always
  // (the server may have been reset behind our back, and the push is a no-op otherwise).
  const dbStamp = target.sqliteFile ? `${target.sqliteFile}.schema` : "";
  const upToDate = target.sqliteFile && fs.existsSync(target.sqliteFile) && readStamp(dbStamp) === fingerprint;
  if (!upToDate) {
    prisma(["db", "push", "--skip-generate"]);
    if (dbStamp) fs.writeFileSync(dbStamp, fingerprint);
    console.log(`Database ready (${target.provider}).`);
  }
}
