import type { Socket } from "socket.io-client";
import type { StateQuery, StateReply } from "@/server/runs/state/types";
import type { CheckpointRecovery, DeadLetterReport, FlagReport, NodeErrorReport, SourcesView } from "@/server/runs/types";
import type { ClientToServerEvents, RunFrame, RunJoinReply, RunStatusUpdate, ServerToClientEvents } from "@/server/socket/protocol";
import { applyDeadLetters, applyFlags, applyFrame, applyNodeError, applyRecovery, applySources, applyStatus, fromSnapshot, type RunView } from "./runState";
import { realTimers, type Timers } from "./throttle";

export type StudioClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface RunFeedOptions {
  /** Called after every change of the view (or of the error); throttle rendering there. */
  onChange: () => void;
  /** Re-joins after missed frames at most this often (ms), so a slow client is not flooded with snapshots. */
  resyncMinIntervalMs?: number;
  timers?: Timers;
}

/**
 * Follows one run over socket.io: joins its room (and again after every reconnect, since the
 * server forgets rooms with the connection), starts from the snapshot in the join reply, then
 * applies frames, status changes and node errors. Missed frames trigger a fresh join.
 * No React here, so tests can drive it with a real socket.
 */
export class RunFeed {
  view: RunView | undefined;
  error: string | undefined;
  /** Joins made so far (the first one and the re-joins). */
  joins = 0;
  private lastJoinAt = -Infinity;
  private joining = false;
  private resyncTimer: unknown = undefined;
  private readonly resyncMinIntervalMs: number;
  private readonly timers: Timers;

  constructor(
    private readonly socket: StudioClientSocket,
    readonly runId: string,
    private readonly opts: RunFeedOptions,
  ) {
    this.resyncMinIntervalMs = opts.resyncMinIntervalMs ?? 3000;
    this.timers = opts.timers ?? realTimers;
  }

  start(): void {
    this.socket.on("connect", this.onConnect);
    this.socket.on("disconnect", this.onDisconnect);
    this.socket.on("run:frame", this.onFrame);
    this.socket.on("run:status", this.onStatus);
    this.socket.on("run:nodeError", this.onNodeError);
    this.socket.on("run:deadLetters", this.onDeadLetters);
    this.socket.on("run:flags", this.onFlags);
    this.socket.on("run:recovery", this.onRecovery);
    this.socket.on("run:sources", this.onSources);
    if (this.socket.connected) this.join();
  }

  stop(): void {
    this.socket.off("connect", this.onConnect);
    this.socket.off("disconnect", this.onDisconnect);
    this.socket.off("run:frame", this.onFrame);
    this.socket.off("run:status", this.onStatus);
    this.socket.off("run:nodeError", this.onNodeError);
    this.socket.off("run:deadLetters", this.onDeadLetters);
    this.socket.off("run:flags", this.onFlags);
    this.socket.off("run:recovery", this.onRecovery);
    this.socket.off("run:sources", this.onSources);
    if (this.resyncTimer !== undefined) this.timers.clearTimeout(this.resyncTimer);
    this.resyncTimer = undefined;
    if (this.socket.connected) this.socket.emit("run:leave", this.runId);
  }

  get connected(): boolean {
    return this.socket.connected;
  }

  /** Asks the server for a page of a state stream, a diff or a series (the state never comes whole). */
  queryState(query: StateQuery): Promise<StateReply> {
    if (!this.socket.connected) return Promise.resolve({ ok: false, error: "not connected to the server" });
    return new Promise((resolve) => this.socket.emit("run:state", this.runId, query, resolve));
  }

  private join(): void {
    if (this.joining) return;
    this.joining = true;
    this.joins++;
    this.lastJoinAt = this.timers.now();
    this.socket.emit("run:join", this.runId, (reply: RunJoinReply) => {
      this.joining = false;
      if (reply.ok) {
        this.view = fromSnapshot(reply.snapshot);
        this.error = undefined;
      } else {
        this.error = reply.error;
      }
      this.opts.onChange();
    });
  }

  private readonly onConnect = (): void => this.join();

  private readonly onDisconnect = (): void => {
    // A join in flight is lost with the connection; the next connect joins again.
    this.joining = false;
    this.opts.onChange();
  };

  private readonly onFrame = (frame: RunFrame): void => {
    if (!this.view || frame.runId !== this.runId) return;
    const { view, missed } = applyFrame(this.view, frame);
    this.view = view;
    if (missed) this.resync();
    this.opts.onChange();
  };

  /** Joins again now, or once the minimum interval since the last join has passed. */
  private resync(): void {
    if (this.resyncTimer !== undefined) return;
    const wait = this.lastJoinAt + this.resyncMinIntervalMs - this.timers.now();
    if (wait <= 0) {
      this.join();
      return;
    }
    this.resyncTimer = this.timers.setTimeout(() => {
      this.resyncTimer = undefined;
      if (this.socket.connected) this.join();
    }, wait);
  }

  private readonly onStatus = (u: RunStatusUpdate): void => {
    if (!this.view) return;
    this.view = applyStatus(this.view, u);
    this.opts.onChange();
  };

  private readonly onRecovery = (p: { runId: string; recovery: CheckpointRecovery }): void => {
    if (!this.view) return;
    this.view = applyRecovery(this.view, p.runId, p.recovery);
    this.opts.onChange();
  };

  private readonly onSources = (p: { runId: string; sources: SourcesView }): void => {
    if (!this.view) return;
    this.view = applySources(this.view, p.runId, p.sources);
    this.opts.onChange();
  };

  private readonly onDeadLetters = (p: { runId: string; reports: DeadLetterReport[] }): void => {
    if (!this.view) return;
    this.view = applyDeadLetters(this.view, p.runId, p.reports);
    this.opts.onChange();
  };

  private readonly onFlags = (p: { runId: string; reports: FlagReport[] }): void => {
    if (!this.view) return;
    this.view = applyFlags(this.view, p.runId, p.reports);
    this.opts.onChange();
  };

  private readonly onNodeError = (p: { runId: string; report: NodeErrorReport }): void => {
    if (!this.view) return;
    this.view = applyNodeError(this.view, p.runId, p.report);
    this.opts.onChange();
  };
}
