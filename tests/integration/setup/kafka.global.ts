// Vitest global setup of the `integration` project: one Kafka broker for the whole run,
// on a free port of its own (KAFKA_TEST_PORT chooses one) with a fresh temporary data
// directory, stopped and removed in teardown. The run never borrows a broker it did not
// start: one that stops under it would fail the run for reasons of its own. Tests read its address with
// inject("kafkaBootstrap") (see ./kafka.ts).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { freeBrokerPort, startBroker, stopBroker } from "../../../scripts/kafka/broker.mjs";

declare module "vitest" {
  export interface ProvidedContext {
    kafkaBootstrap: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const port = process.env.KAFKA_TEST_PORT ? Number(process.env.KAFKA_TEST_PORT) : await freeBrokerPort();
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
