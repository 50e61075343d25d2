/**
 * Dashboard figures: the real RunHub with its worker threads and socket.io on a loopback port,
 * 5 runs of the sample pipeline (random transactions, sped up) and 10 socket.io clients, each
 * following every run as a dashboard does (join with snapshot, then live frames). Measures the
 * server's event-loop delay, its CPU (all threads of the process) and the frames each client
 * receives. Bounded: about 35 s.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { io as connect, type Socket } from "socket.io-client";
import type { BenchModule } from "./index";
import { sampleTransactionsPipeline } from "../engine/pipeline/samples";
import type { PipelineDocument } from "../engine/pipeline/document";
import { openDatabase } from "../server/db/client";
import { RunHub } from "../server/runs/RunHub";
import { attachSocketServer, serveRunRooms, socketBroadcaster } from "../server/socket/attach";
import type { ClientToServerEvents, ServerToClientEvents } from "../server/socket/protocol";

const RUNS = 5;
const CLIENTS = 10;
const WARMUP_MS = 5_000;
const MEASURE_MS = 25_000;

/** The sample pipeline with the generator in random mode, 50 times faster: a busier run than the default. */
function busySample(i: number): PipelineDocument {
  const doc = structuredClone(sampleTransactionsPipeline);
  doc.name = `bench run ${i + 1}`;
  doc.nodes[0].config = { mode: "random", timeScale: 50, seed: i + 1 };
  return doc;
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

async function run(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dss-dash-bench-"));
  const env = { ...process.env, DATABASE_URL: `file:${dir}/studio.db` };
  execFileSync(process.execPath, ["scripts/prepare-db.mjs"], { env, stdio: "ignore" });
  const db = openDatabase(env);
  const server = http.createServer();
  const ioServer = attachSocketServer(server, { accessToken: null, origins: { host: "127.0.0.1", allowedOrigins: [], tokenRequired: false }, version: "bench", startedAt: new Date() });
  const hub = new RunHub({ db, broadcaster: socketBroadcaster(ioServer) });
  serveRunRooms(ioServer, hub);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const runIds: string[] = [];
  for (let i = 0; i < RUNS; i++) runIds.push(await hub.start(busySample(i), null));

  type Client = { socket: Socket<ServerToClientEvents, ClientToServerEvents>; frames: number; bytes: number; maxGapMs: number; last: number };
  const clients: Client[] = [];
  for (let c = 0; c < CLIENTS; c++) {
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = connect(url, { path: "/socket.io", transports: ["websocket"] });
    const client: Client = { socket, frames: 0, bytes: 0, maxGapMs: 0, last: 0 };
    socket.on("run:frame", (frame) => {
      client.frames++;
      client.bytes += JSON.stringify(frame).length;
    });
    socket.on("connect", () => {
      for (const id of runIds) socket.emit("run:join", id, () => {});
    });
    clients.push(client);
  }

  await new Promise((r) => setTimeout(r, WARMUP_MS));
  for (const c of clients) {
    c.frames = 0;
    c.bytes = 0;
  }
  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const batches0 = runIds.map((id) => hub.snapshot(id)?.totals?.completedBatches ?? 0);
  // A join's snapshot is the heaviest thing a browser asks for: time a few.
  const joinMs: number[] = [];
  const probe = connect(url, { path: "/socket.io", transports: ["websocket"] });
  await new Promise<void>((resolve) => probe.once("connect", () => resolve()));
  const joinTimer = setInterval(() => {
    const start = performance.now();
    probe.emit("run:join", runIds[joinMs.length % RUNS], () => joinMs.push(performance.now() - start));
  }, 1000);
  await new Promise((r) => setTimeout(r, MEASURE_MS));
  clearInterval(joinTimer);
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  lag.disable();
  const batches = runIds.map((id, i) => (hub.snapshot(id)?.totals?.completedBatches ?? 0) - batches0[i]);
  const records = runIds.reduce((sum, id) => sum + (hub.snapshot(id)?.totals?.totalRecords ?? 0), 0);

  const framesPerClient = clients.map((c) => c.frames / seconds);
  const kbPerClient = clients.map((c) => c.bytes / 1024 / seconds);
  const sortedJoins = [...joinMs].sort((a, b) => a - b);
  const ms = (ns: number) => (ns / 1e6).toFixed(1);
  console.log(`${RUNS} runs (sample pipeline, random mode x50), ${CLIENTS} socket.io clients each following all ${RUNS} runs, ${seconds.toFixed(0)} s measured after ${WARMUP_MS / 1000} s warm-up`);
  console.log(`| figure | value |`);
  console.log(`| --- | --- |`);
  console.log(`| batches completed per run | ${batches.join(", ")} (${(records / 1000).toFixed(1)} k records in all runs' totals) |`);
  console.log(`| server CPU, all threads (user + system) | ${(((cpu.user + cpu.system) / 1e6 / seconds) * 100).toFixed(0)} % of one core |`);
  console.log(`| event-loop delay of the main thread: p50 / p99 / max | ${ms(lag.percentile(50))} / ${ms(lag.percentile(99))} / ${ms(lag.max)} ms |`);
  console.log(`| frames/s per client (all 5 runs): min / mean / max | ${Math.min(...framesPerClient).toFixed(1)} / ${(framesPerClient.reduce((a, b) => a + b, 0) / CLIENTS).toFixed(1)} / ${Math.max(...framesPerClient).toFixed(1)} |`);
  console.log(`| frames/s per client per run (cap 5: one per 200 ms) | ${(framesPerClient.reduce((a, b) => a + b, 0) / CLIENTS / RUNS).toFixed(2)} |`);
  console.log(`| frame data per client | ${(kbPerClient.reduce((a, b) => a + b, 0) / CLIENTS).toFixed(1)} KiB/s |`);
  console.log(`| run:join (snapshot) round trip: p50 / max | ${pct(sortedJoins, 50).toFixed(1)} / ${(sortedJoins[sortedJoins.length - 1] ?? 0).toFixed(1)} ms (${sortedJoins.length} joins) |`);

  probe.close();
  for (const c of clients) c.socket.close();
  await hub.stopAll();
  await new Promise<void>((resolve) => ioServer.close(() => resolve()));
  await db.$disconnect();
  fs.rmSync(dir, { recursive: true, force: true });
}

const bench: BenchModule = { title: "Dashboard: 5 runs, 10 watching clients", run };
export default bench;
