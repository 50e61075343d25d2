import type { Server as HttpServer } from "node:http";
import { Server } from "socket.io";
import { TOKEN_COOKIE, cookieValue, isAuthorized } from "../auth";
import type { RunBroadcaster, RunHub } from "../runs/RunHub";
import { runRoom, type ClientToServerEvents, type ServerToClientEvents } from "./protocol";

export type StudioSocketServer = Server<ClientToServerEvents, ServerToClientEvents>;

/** Attaches socket.io to the app's HTTP server; with a token set, every socket must present it. */
export function attachSocketServer(
  httpServer: HttpServer,
  opts: { accessToken: string | null; version: string; startedAt: Date },
): StudioSocketServer {
  // destroyUpgrade off: upgrades that are not socket.io's (Next.js dev HMR) must survive.
  const io: StudioSocketServer = new Server(httpServer, { path: "/socket.io", destroyUpgrade: false, serveClient: false });
  io.use((socket, next) => {
    const hs = socket.handshake;
    const presented = (hs.auth as { token?: string } | undefined)?.token ?? cookieValue(hs.headers.cookie, TOKEN_COOKIE);
    if (isAuthorized(opts.accessToken, presented)) next();
    else next(new Error("unauthorized: open the app with ?token=<access token> printed at server start"));
  });
  io.on("connection", (socket) => {
    socket.emit("server:info", { name: "DStream Studio", version: opts.version, startedAt: opts.startedAt.toISOString() });
    socket.on("server:ping", (ack) => {
      if (typeof ack === "function") ack({ now: Date.now() });
    });
  });
  return io;
}

/** Broadcasts a hub's run updates to each run's room. */
export function socketBroadcaster(io: StudioSocketServer): RunBroadcaster {
  return {
    // volatile: a client that is not ready for the next frame misses it rather than queueing it.
    frame: (runId, batches, printed, extra) =>
      io.to(runRoom(runId)).volatile.emit("run:frame", { runId, batches, printed, seq: extra.seq, totals: extra.totals }),
    status: (runId, status, message, nodeId) => io.to(runRoom(runId)).emit("run:status", { runId, status, message, nodeId }),
    nodeError: (runId, report) => io.to(runRoom(runId)).emit("run:nodeError", { runId, report }),
    deadLetters: (runId, reports) => io.to(runRoom(runId)).emit("run:deadLetters", { runId, reports }),
  };
}

/** Lets clients join and leave the rooms of runs; a joiner receives the recent history first. */
export function serveRunRooms(io: StudioSocketServer, hub: RunHub): void {
  io.on("connection", (socket) => {
    socket.on("run:join", (runId, ack) => {
      if (typeof ack !== "function") return;
      const snapshot = typeof runId === "string" ? hub.snapshot(runId) : undefined;
      if (!snapshot) {
        ack({ ok: false, error: `no run with id "${String(runId)}" is known to this server` });
        return;
      }
      void socket.join(runRoom(runId));
      ack({ ok: true, snapshot });
    });
    socket.on("run:leave", (runId) => {
      if (typeof runId === "string") void socket.leave(runRoom(runId));
    });
  });
}
