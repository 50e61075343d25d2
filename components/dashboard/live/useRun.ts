"use client";

import { useEffect, useState } from "react";
import { io } from "socket.io-client";
import { RunFeed, type StudioClientSocket } from "./RunFeed";
import type { RunView } from "./runState";
import { RenderThrottle } from "./throttle";

export interface RunState {
  view?: RunView;
  /** Why the run cannot be followed (e.g. unknown to the server). */
  error?: string;
  connected: boolean;
}

/**
 * Follows a run live: joins its socket.io room, starts from the recent history, applies live
 * frames, re-joins after a reconnect, and re-renders at most 10 times per second.
 */
export function useRun(runId: string): RunState {
  const [state, setState] = useState<RunState>({ connected: false });
  useEffect(() => {
    const socket: StudioClientSocket = io({ path: "/socket.io" });
    const throttle = new RenderThrottle(() => setState({ view: feed.view, error: feed.error, connected: feed.connected }));
    const feed = new RunFeed(socket, runId, { onChange: () => throttle.schedule() });
    feed.start();
    return () => {
      throttle.cancel();
      feed.stop();
      socket.close();
    };
  }, [runId]);
  return state;
}
