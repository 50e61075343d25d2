import type { Server as HttpServer } from "node:http";
import { Server } from "socket.io";
import { TOKEN_COOKIE, cookieValue, isAuthorized } from "../auth";
import type { ClientToServerEvents, ServerToClientEvents } from "./protocol";

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
