/**
 * DStream Studio's server: one process, one port, serving the Next.js app and the
 * socket.io endpoint. Listens on 127.0.0.1:3000 unless HOST/PORT say otherwise; beyond
 * loopback every page, API route and socket requires the access token.
 */
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import next from "next";
import { isLoopback, loadServerConfig } from "./config";
import { checkRequest, type GateOptions } from "./http/gate";
import { gatedListener } from "./http/listener";
import { openDatabase } from "./db/client";
import { seedSamplePipelines } from "./pipelines/seed";
import { registerServices } from "./services";
import { RunHub } from "./runs/RunHub";
import { attachSocketServer, serveRunRooms, socketBroadcaster } from "./socket/attach";

const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const dev = process.argv.includes("--dev");
const config = loadServerConfig(process.env, dev);
const version = process.env.npm_package_version ?? "0.1.0";
const startedAt = new Date();

const db = openDatabase();
await seedSamplePipelines(db);

const app = next({ dev, dir: rootDir, hostname: config.host, port: config.port });
await app.prepare();
const handle = app.getRequestHandler();
const upgrade = app.getUpgradeHandler();

const gate: GateOptions = {
  accessToken: config.accessToken,
  origins: { host: config.host, allowedOrigins: config.allowedOrigins, tokenRequired: config.accessToken !== null || !isLoopback(config.host) },
  limits: config.limits,
};

const server = http.createServer(gatedListener(gate, handle));

server.on("upgrade", (req, socket, head) => {
  if (req.url?.startsWith("/socket.io")) return; // socket.io's own listener takes it
  const checked = checkRequest(req, gate);
  if (!checked.ok) {
    socket.end(`HTTP/1.1 ${checked.status} ${http.STATUS_CODES[checked.status]}\r\nconnection: close\r\ncontent-type: text/plain\r\n\r\n${checked.message}\n`);
    return;
  }
  void upgrade(req, socket, head);
});

const io = attachSocketServer(server, { accessToken: config.accessToken, origins: gate.origins, version, startedAt });
const runs = new RunHub({ db, broadcaster: socketBroadcaster(io), checkpointRoot: path.join(rootDir, "data", "checkpoints") });
serveRunRooms(io, runs);
registerServices({ db, runs, startedAt });
// Runs that were live when the server last went down carry on, under their own ids.
const resumed = await runs.resumeInterrupted();
if (resumed.length) console.log(`Resumed ${resumed.length} run(s) interrupted by the last shutdown: ${resumed.join(", ")}`);

server.listen(config.port, config.host, () => {
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  const shownHost = config.host.includes(":") ? `[${config.host}]` : config.host;
  const base = `http://${shownHost}:${port}`;
  console.log(`DStream Studio ${version} ready at ${base} (${dev ? "development" : "production"})`);
  if (config.accessToken) {
    console.log(`Listening beyond loopback: every request needs the access token.`);
    console.log(`Open ${base}/?token=${config.tokenGenerated ? config.accessToken : "<DSTREAM_STUDIO_TOKEN>"}`);
  }
});

function shutdown(signal: string): void {
  console.log(`${signal}: shutting down`);
  server.close();
  // A shutdown is not a stop: the runs stay recorded as live, and the next start resumes them.
  void runs
    .suspendAll()
    .then(() => db.$disconnect())
    .finally(() => process.exit(0));
  setTimeout(() => process.exit(0), 3000).unref();
}
process.on("SIGINT", () => shutdown("SIGINT"));
process.on("SIGTERM", () => shutdown("SIGTERM"));
