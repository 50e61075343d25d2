import type { IncomingMessage, Server as HttpServer } from "node:http";
import { Server } from "socket.io";
import { TOKEN_COOKIE, MalformedCredentialError, cookieValue, isAuthorized } from "../auth";
import { originProblem, type OriginPolicy } from "../http/origin";
import type { RunBroadcaster, RunHub } from "../runs/RunHub";
import { runRoom, type ClientToServerEvents, type ServerToClientEvents } from "./protocol";
import { checkStateQuery } from "../runs/state/checkQuery";

export type StudioSocketServer = Server<ClientToServerEvents, ServerToClientEvents>;

/**
 * Attaches socket.io to the app's HTTP server. Its handshake is refused (403 with the reason)
 * when it comes from a foreign origin or carries a malformed cookie; with a token set, every
 * socket must present it (`auth: { token }` or the cookie), else it gets a connect error.
 */
export function attachSocketServer(
  httpServer: HttpServer,
  opts: { accessToken: string | null; origins: OriginPolicy; version: string; startedAt: Date },
): StudioSocketServer {
  // destroyUpgrade off: upgrades that are not socket.io's (Next.js dev HMR) must survive.
  const io: StudioSocketServer = new Server(httpServer, {
    path: "/socket.io",
    destroyUpgrade: false,
    serveClient: false,
    // Every handshake (polling or WebSocket) is checked: a socket can start and stop runs.
    allowRequest: (req, callback) => {
      const problem = handshakeProblem(req, opts);
      callback(problem ?? null, problem === undefined);
    },
  });
  io.use((socket, next) => {
    const hs = socket.handshake;
    const auth: unknown = hs.auth;
    const given = auth !== null && typeof auth === "object" ? (auth as { token?: unknown }).token : undefined;
    if (given !== undefined && typeof given !== "string") {
      next(new Error(`unauthorized: auth.token must be a string, not ${given === null ? "null" : typeof given}`));
      return;
    }
    let presented: string | undefined;
    try {
      presented = given ?? cookieValue(hs.headers.cookie, TOKEN_COOKIE);
    } catch (e) {
      next(new Error(`unauthorized: ${(e as Error).message}`));
      return;
    }
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
    flags: (runId, reports) => io.to(runRoom(runId)).emit("run:flags", { runId, reports }),
    recovery: (runId, recovery) => io.to(runRoom(runId)).emit("run:recovery", { runId, recovery }),
    // volatile: the next report (a second later) replaces a missed one.
    sources: (runId, sources) => io.to(runRoom(runId)).volatile.emit("run:sources", { runId, sources }),
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
      if (snapshot.ended) {
        // The hub keeps only a summary of an ended run: the page shows what the database recorded.
        ack({ ok: false, error: `run ${runId} has ${snapshot.status}; its batches are read from the database` });
        return;
      }
      void socket.join(runRoom(runId));
      ack({ ok: true, snapshot });
    });
    socket.on("run:state", (runId, query, ack) => {
      if (typeof ack !== "function") return;
      const problem = checkStateQuery(runId, query);
      if (problem) {
        ack({ ok: false, error: problem });
        return;
      }
      void hub.queryState(runId, query).then(ack);
    });
    socket.on("run:leave", (runId) => {
      if (typeof runId === "string") void socket.leave(runRoom(runId));
    });
  });
}


/** Why a socket.io handshake request is refused before any socket exists, or undefined. */
function handshakeProblem(req: IncomingMessage, opts: { origins: OriginPolicy }): string | undefined {
  const foreign = originProblem(opts.origins, req.headers, req.socket.localPort ?? 0);
  if (foreign) return foreign;
  try {
    cookieValue(req.headers.cookie, TOKEN_COOKIE);
  } catch (e) {
    if (e instanceof MalformedCredentialError) return e.message;
    return String(e);
  }
  return undefined;
}
