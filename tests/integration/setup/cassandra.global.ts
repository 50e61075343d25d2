// Vitest global setup of the `integration` project: one real Cassandra for the whole run (from
// the jars `npm test`'s setup fetched), on free ports of its own (CASSANDRA_TEST_PORT chooses one)
// with a fresh temporary data folder, stopped and removed in teardown. The article's
// finances.account_aggregates is created and seeded. Tests read its address with
// inject("cassandraContactPoint").
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { freeCassandraPort, startCassandra, stopCassandra } from "../../../scripts/cassandra/server.mjs";
import { seedArticleTable } from "../../../scripts/cassandra/schema";

declare module "vitest" {
  export interface ProvidedContext {
    cassandraContactPoint: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const port = process.env.CASSANDRA_TEST_PORT ? Number(process.env.CASSANDRA_TEST_PORT) : await freeCassandraPort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "dstream-cassandra-test-"));
  const log = (line: string) => console.log(`[cassandra] ${line}`);
  let server;
  try {
    server = await startCassandra({ port, dataDir, log });
    await seedArticleTable(server.contactPoint);
  } catch (error) {
    if (server && !server.alreadyRunning) await stopCassandra({ dataDir, log });
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  project.provide("cassandraContactPoint", server.contactPoint);

  return async () => {
    if (!server.alreadyRunning) await stopCassandra({ dataDir, log });
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
}
