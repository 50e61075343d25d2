// Vitest global setup of the `integration` project: one Kafka broker for the whole run,
// on a free port of its own (KAFKA_TEST_PORT chooses one) with a fresh temporary data
// directory, stopped and removed in teardown. The run never borrows a broker it did not
// start: one that stops under it would fail the run for reasons of its own. Tests read its address with
// inject("kafkaBootstrap") (see ./kafka.ts).
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { startBroker, stopBroker } from "../../../scripts/kafka/broker.mjs";

declare module "vitest" {
  export interface ProvidedContext {
    kafkaBootstrap: string;
  }
}

/** Listens on a loopback port (0: any) and closes again; resolves with the port, or null if taken. */
function probePort(port: number): Promise<number | null> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(null));
    server.listen(port, "127.0.0.1", () => {
      const { port: bound } = server.address() as net.AddressInfo;
      server.close(() => resolve(bound));
    });
  });
}

/** A free loopback port whose next port is free too (the broker's KRaft controller takes it). */
async function freePortPair(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = await probePort(0);
    if (port !== null && port < 65535 && (await probePort(port + 1)) !== null) return port;
  }
  throw new Error("found no two free consecutive loopback ports for the test Kafka broker");
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const port = process.env.KAFKA_TEST_PORT ? Number(process.env.KAFKA_TEST_PORT) : await freePortPair();
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
