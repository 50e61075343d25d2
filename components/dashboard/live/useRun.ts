"use client";

import { useEffect, useRef, useState } from "react";
import type { StateQuery, StateReply } from "@/server/runs/state/types";
import { io } from "socket.io-client";
import { RunFeed, type StudioClientSocket } from "./RunFeed";
import type { RunView } from "./runState";
import { RenderThrottle } from "./throttle";

export interface RunState {
  view?: RunView;
  /** Why the run cannot be followed (e.g. unknown to the server). */
  error?: string;
  connected: boolean;
  /** Reconnections so far: panels that fetch over HTTP fetch again when it changes. */
  connections: number;
  /** Asks the server about the run's state (paged); fails while disconnected. */
  queryState: (q: StateQuery) => Promise<StateReply>;
}

/**
 * Follows a run live: joins its socket.io room, starts from the recent history, applies live
 * frames, re-joins after a reconnect, and re-renders at most 10 times per second.
 */
export function useRun(runId: string): RunState {
  const feedRef = useRef<RunFeed | undefined>(undefined);
  const [queryState] = useState(() => (q: StateQuery): Promise<StateReply> => feedRef.current?.queryState(q) ?? Promise.resolve({ ok: false, error: "not connected yet" }));
  const [state, setState] = useState<RunState>({ connected: false, connections: 0, queryState });
  useEffect(() => {
    const socket: StudioClientSocket = io({ path: "/socket.io" });
    let connections = 0;
    socket.on("connect", () => connections++);
    const throttle = new RenderThrottle(() => setState({ view: feed.view, error: feed.error, connected: feed.connected, connections, queryState }));
    const feed = new RunFeed(socket, runId, { onChange: () => throttle.schedule() });
    feedRef.current = feed;
    feed.start();
    return () => {
      throttle.cancel();
      feed.stop();
      socket.close();
    };
  }, [runId]);
  return state;
}
