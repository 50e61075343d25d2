"use client";

import { useEffect, useState } from "react";
import { io, type Socket } from "socket.io-client";
import type { ClientToServerEvents, ServerToClientEvents } from "@/server/socket/protocol";

type State = "connecting" | "connected" | "error";

/** Shows whether the live channel (socket.io) to the server is up. */
export function ConnectionStatus() {
  const [state, setState] = useState<State>("connecting");
  useEffect(() => {
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({ path: "/socket.io" });
    socket.on("connect", () => setState("connected"));
    socket.on("disconnect", () => setState("connecting"));
    socket.on("connect_error", () => setState("error"));
    return () => {
      socket.close();
    };
  }, []);
  const label = state === "connected" ? "Live" : state === "error" ? "Offline" : "Connecting…";
  return (
    <span className="status-dot" data-state={state} data-testid="connection-status">
      {label}
    </span>
  );
}
