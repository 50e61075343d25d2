import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll } from "vitest";
import { openDatabase, type Database } from "@/server/db/client";

export interface FreshDatabase {
  /** The open database; set in `beforeAll`. */
  db: Database;
  /** Its temporary folder (for checkpoints and other files of the test). */
  dir: string;
}

/**
 * A fresh SQLite database of the app's schema for one test file, in a temporary folder that is
 * removed afterwards. Its fields are set in `beforeAll`: read them inside hooks and tests.
 */
export function useFreshDatabase(prefix: string): FreshDatabase {
  const fresh = {} as FreshDatabase;
  beforeAll(() => {
    fresh.dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    const env = { ...process.env, DATABASE_URL: `file:${fresh.dir}/studio.db` };
    execFileSync(process.execPath, ["scripts/prepare-db.mjs"], { env, stdio: "ignore" });
    fresh.db = openDatabase(env);
  });
  afterAll(async () => {
    await fresh.db?.$disconnect();
    fs.rmSync(fresh.dir, { recursive: true, force: true });
  });
  return fresh;
}

/** Polls `probe` every 50 ms until it yields a value (not undefined or false); fails after `limitMs`. */
export async function until<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, limitMs = 60_000): Promise<T> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const found = await probe();
    if (found !== undefined && found !== false) return found;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
