// Which database the app uses, decided once from DATABASE_URL: the embedded SQLite file
// under data/ by default, PostgreSQL when the URL says postgres(ql)://.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const dataDir = path.join(rootDir, "data");
const sourceSchema = path.join(rootDir, "prisma", "schema.prisma");

/**
 * @typedef {{ provider: "sqlite" | "postgresql", url: string, schemaPath: string, sqliteFile?: string }} DatabaseTarget
 * @returns {DatabaseTarget}
 */
export function databaseTarget(env = process.env) {
  const raw = env.DATABASE_URL?.trim();
  if (raw && /^postgres(ql)?:\/\//.test(raw)) {
    return { provider: "postgresql", url: raw, schemaPath: path.join(rootDir, "prisma", ".generated", "postgresql", "schema.prisma") };
  }
  if (raw && !raw.startsWith("file:")) {
    throw new Error(
      `DATABASE_URL must start with file: (SQLite) or postgresql:// (PostgreSQL); got "${raw.replace(/\/\/[^@]*@/, "//***@")}"`,
    );
  }
  const file = raw ? path.resolve(rootDir, raw.slice("file:".length)) : path.join(dataDir, "dstream-studio.db");
  return { provider: "sqlite", url: `file:${file}`, schemaPath: sourceSchema, sqliteFile: file };
}

/** Writes the PostgreSQL rendering of prisma/schema.prisma; the models are shared. */
export function renderSchema(target) {
  if (target.provider === "sqlite") return;
  const source = fs.readFileSync(sourceSchema, "utf8");
  const outDir = path.dirname(target.schemaPath);
  const clientOut = path.relative(outDir, path.join(rootDir, "server", "db", "generated", "client"));
  const rendered = source
    .replace(/provider\s*=\s*"sqlite"/, 'provider = "postgresql"')
    .replace(/url\s*=\s*"file:[^"]*"/, 'url      = env("DATABASE_URL")')
    .replace(/output\s*=\s*"[^"]*"/, `output     = "${clientOut.split(path.sep).join("/")}"`);
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(target.schemaPath, rendered);
}
