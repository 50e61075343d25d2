import { fork, type ChildProcess } from "node:child_process";
import { EventEmitter } from "node:events";
import fs from "node:fs";
import path from "node:path";
import type { Readable } from "node:stream";
import type { HubMessage, RunWorkerData, WorkerMessage } from "../types";
import { runPermissions, runUser } from "./permissions";

/** What a run process's sentinel thread last reported (see run-entry.mjs). */
export interface SentinelReport {
  /** Index + 1 of the node whose user function is running now; 0 when none. */
  busyNode: number;
  /** Index + 1 of the last node whose user function ran. */
  lastNode: number;
  /** When the batch now running started (epoch ms); 0 when no batch runs. */
  batchStartedAt: number;
  /** When this report was received (epoch ms). */
  receivedAt: number;
  /** Since when (epoch ms, hub's clock) the reports have named the same busy node. */
  busySince: number;
}

/** Only these variables reach a run: no DATABASE_URL, no access token, no NODE_OPTIONS of the server. */
const PASSED_ENV = ["PATH", "LANG", "LC_ALL", "TZ", "NODE_ENV"];

export interface RunProcessOptions {
  /** The app's root folder (where engine/ and node_modules/ are). */
  root: string;
  /** The run's heap limit in MB; a pipeline that needs more fails alone. */
  maxHeapMb: number;
  checkpointDir?: string;
  /** The entry script; a test may substitute its own. */
  entry?: string;
  /** The run's code (process/bundle.ts). */
  bundle: string;
}

/**
 * One run in an OS process of its own under Node's permission model, as a user of its own when
 * the server is root, with an environment stripped of the server's secrets. Messages travel
 * over the IPC channel (structured clone); a sentinel thread in the child reports on a pipe of
 * its own which node is inside user code and since when a batch runs, even while the child's
 * main thread is stuck in a user function. Events: `message`, `exit` (code, signal).
 */
export class RunProcess extends EventEmitter {
  private readonly child: ChildProcess;
  private exited = false;
  private stderrTail = "";
  sentinel: SentinelReport = { busyNode: 0, lastNode: 0, batchStartedAt: 0, receivedAt: Date.now(), busySince: Date.now() };
  readonly startedAt = Date.now();

  constructor(data: RunWorkerData, opts: RunProcessOptions) {
    super();
    const entry = opts.entry ?? path.join(opts.root, "server", "runs", "run-entry.mjs");
    const permissions = runPermissions(opts.root, data.document, opts.checkpointDir, entry, opts.bundle);
    const user = runUser(permissions.paths);
    for (const dir of permissions.writable) {
      fs.mkdirSync(dir, { recursive: true });
      if (user) fs.chownSync(dir, user.uid, user.gid);
    }
    const env: Record<string, string | undefined> = {};
    for (const name of PASSED_ENV) if (process.env[name] !== undefined) env[name] = process.env[name];
    this.child = fork(entry, [opts.bundle], {
      cwd: opts.root,
      env: env as NodeJS.ProcessEnv,
      execArgv: [...permissions.execArgv, `--max-old-space-size=${opts.maxHeapMb}`],
      // stdin none, stdout shared, stderr kept (its tail explains a crash), fd 3 the sentinel's pipe.
      stdio: ["ignore", "inherit", "pipe", "pipe", "ipc"],
      serialization: "advanced",
      ...(user ?? {}),
    });
    this.child.on("message", (msg: WorkerMessage) => this.emit("message", msg));
    this.child.on("error", (err) => this.emit("error", err));
    this.child.on("exit", (code, signal) => {
      this.exited = true;
      this.emit("exit", code, signal);
    });
    this.child.stderr?.on("data", (chunk: Buffer) => {
      process.stderr.write(chunk);
      this.stderrTail = (this.stderrTail + chunk.toString("utf8")).slice(-4096);
    });
    this.readSentinel(this.child.stdio[3] as Readable);
    this.send({ type: "init", data });
  }

  private readSentinel(pipe: Readable): void {
    let buffered = "";
    pipe.on("data", (chunk: Buffer) => {
      buffered += chunk.toString("utf8");
      const lines = buffered.split("\n");
      buffered = lines.pop() ?? "";
      const last = lines.at(-1);
      if (!last) return;
      // The child is not trusted: only three numbers are taken, each checked.
      const [busy, lastNode, started] = last.split(" ").map(Number);
      if ([busy, lastNode, started].every((n) => Number.isFinite(n) && n >= 0)) {
        const now = Date.now();
        const busySince = busy === this.sentinel.busyNode ? this.sentinel.busySince : now;
        this.sentinel = { busyNode: busy, lastNode, batchStartedAt: started, receivedAt: now, busySince };
      }
    });
    pipe.on("error", () => undefined);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get hasExited(): boolean {
    return this.exited;
  }

  /** What the run printed to stderr last (a V8 heap-limit crash says so there). */
  get lastStderr(): string {
    return this.stderrTail;
  }

  postMessage(msg: HubMessage): void {
    this.send(msg);
  }

  private send(msg: HubMessage): void {
    if (this.exited || !this.child.connected) return;
    this.child.send(msg, (err) => {
      // A child that went away between the check and the send: its exit event tells the hub.
      if (err && !this.exited) this.emit("sendError", err);
    });
  }

  /** Ends the process at once (SIGKILL: a process stuck in user code runs no handler). */
  terminate(): Promise<void> {
    if (this.exited) return Promise.resolve();
    return new Promise((resolve) => {
      this.once("exit", () => resolve());
      this.child.kill("SIGKILL");
    });
  }
}
