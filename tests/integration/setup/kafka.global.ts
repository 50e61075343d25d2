// Vitest global setup of the `integration` project: one Kafka broker for the whole run,
// on its own port (19092 unless KAFKA_TEST_PORT says otherwise) with a fresh temporary
// data directory, stopped and removed in teardown. Tests read its address with
// inject("kafkaBootstrap") (see ./kafka.ts).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { startBroker, stopBroker } from "../../../scripts/kafka/broker.mjs";

declare module "vitest" {
  export interface ProvidedContext {
    kafkaBootstrap: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const port = Number(process.env.KAFKA_TEST_PORT ?? 19092);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "dstream-kafka-test-"));
  const log = (line: string) => console.log(`[kafka] ${line}`);
  let broker;
  try {
    broker = await startBroker({ port, dataDir, partitions: 1, log });
  } catch (error) {
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  project.provide("kafkaBootstrap", broker.bootstrap);
  // Child processes started by tests (npm run produce) can read it too.
  process.env.KAFKA_TEST_BOOTSTRAP = broker.bootstrap;

  return async () => {
    // A broker that was already answering on the port belongs to someone else: leave it.
    if (!broker.alreadyRunning) await stopBroker({ dataDir, log });
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
}
