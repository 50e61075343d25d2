import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { databaseTarget } from "../../scripts/db-target.mjs";
import { PrismaClient } from "./generated/client";

export type Database = PrismaClient;

/** Opens the app's database through a driver adapter (no native query engine needed). */
export function openDatabase(env: Readonly<Record<string, string | undefined>> = process.env): Database {
  const target = databaseTarget(env);
  const adapter =
    target.provider === "postgresql"
      ? new PrismaPg({ connectionString: target.url })
      : new PrismaBetterSQLite3({ url: target.url });
  return new PrismaClient({ adapter });
}
