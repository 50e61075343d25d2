import net from "node:net";
import { StorageLevel } from "../rdd/StorageLevel";
import { Receiver } from "../streaming/receiver/Receiver";

export interface SocketTextOptions {
  /** Wait before connecting again after a failure or the end of the stream (Spark's receiverRestartDelay, 2 s). */
  readonly restartDelayMs?: number;
  /** A line longer than this (UTF-16 code units, default 1 Mi) is stored in pieces of this length, so a peer that never sends \n cannot exhaust memory. */
  readonly maxLineLength?: number;
  /** At most this many lines per second (spark.streaming.receiver.maxRate for this source); more wait. */
  readonly maxRate?: number;
}

/** Lines held back by the rate limit beyond which the socket stops reading (TCP then slows the peer). */
const MAX_HELD_LINES = 100_000;

const DEFAULT_RESTART_DELAY_MS = 2000;
const DEFAULT_MAX_LINE_LENGTH = 1 << 20;

/**
 * Spark's SocketReceiver with `bytesToLines`: connects to host:port, decodes the bytes as UTF-8
 * and stores one record per line (split on \n, a trailing \r dropped, as BufferedReader.readLine).
 * When the connection fails or the peer closes it, it reports that it waits (a `receiverError`
 * event, which a run shows as "waiting") and connects again after `restartDelayMs` on the
 * context's clock, as Spark's receiver restarts; a final line without \n is stored at the end.
 */
export class SocketTextReceiver extends Receiver<string> {
  private socket: net.Socket | undefined;
  private cancelRetry: (() => void) | undefined;
  private stopping = false;
  private readonly restartDelayMs: number;
  private readonly maxLineLength: number;
  /** Connections made so far (for tests and status). */
  connections = 0;

  constructor(
    readonly host: string,
    readonly port: number,
    options: SocketTextOptions = {},
    storageLevel: StorageLevel = StorageLevel.MEMORY_AND_DISK_SER_2,
  ) {
    super(storageLevel);
    if (typeof host !== "string" || host.trim() === "") throw new TypeError("socketTextStream: host must be a non-empty string");
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new RangeError(`socketTextStream: port must be a whole number from 1 to 65535, got ${port}`);
    this.restartDelayMs = options.restartDelayMs ?? DEFAULT_RESTART_DELAY_MS;
    this.maxLineLength = options.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH;
    const rate = options.maxRate;
    if (rate !== undefined && !(Number.isFinite(rate) && rate > 0)) throw new RangeError(`socketTextStream: maxRate must be > 0 lines/s, got ${rate}`);
    this.maxRateValue = rate;
  }
  private readonly maxRateValue: number | undefined;
  private cancelResume: (() => void) | undefined;

  override get maxRate(): number | undefined {
    return this.maxRateValue;
  }

  /**
   * Spark's receiver blocks in store() while over its rate, so the socket's buffer fills and TCP
   * slows the sender; here the socket stops reading once the held lines pass a bound and reads
   * again when a batch interval has let most of them in.
   */
  private throttleSocket(socket: net.Socket): void {
    if (this.heldBack() <= MAX_HELD_LINES || this.cancelResume !== undefined) return;
    socket.pause();
    const check = () => {
      this.cancelResume = undefined;
      if (this.socket !== socket || this.stopping) return;
      if (this.heldBack() > MAX_HELD_LINES / 2) this.cancelResume = this.clock.schedule(this.clock.getTimeMillis() + 100, check);
      else socket.resume();
    };
    this.cancelResume = this.clock.schedule(this.clock.getTimeMillis() + 100, check);
  }

  override get name(): string {
    return `SocketReceiver(${this.host}:${this.port})`;
  }

  onStart(): void {
    this.stopping = false;
    this.connect();
  }

  onStop(): void {
    this.stopping = true;
    this.cancelRetry?.();
    this.cancelRetry = undefined;
    this.cancelResume?.();
    this.cancelResume = undefined;
    this.socket?.destroy();
    this.socket = undefined;
  }

  private connect(): void {
    if (this.stopping) return;
    let pending = "";
    let failure: Error | undefined;
    let connected = false;
    const socket = net.createConnection({ host: this.host, port: this.port });
    this.socket = socket;
    socket.setEncoding("utf8"); // a StringDecoder: a character split across chunks is kept whole
    socket.setNoDelay(true);
    const store = (lines: string[]) => {
      if (lines.length > 0 && !this.stopping && this.isStarted()) this.storeMany(lines);
    };
    socket.on("connect", () => {
      connected = true;
      this.connections++;
    });
    socket.on("data", (chunk: string) => {
      pending += chunk;
      const lines: string[] = [];
      let start = 0;
      const max = this.maxLineLength;
      for (let nl = pending.indexOf("\n"); nl !== -1; nl = pending.indexOf("\n", start)) {
        let line = stripCR(pending.slice(start, nl));
        for (; line.length > max; line = line.slice(max)) lines.push(line.slice(0, max));
        lines.push(line);
        start = nl + 1;
      }
      pending = pending.slice(start);
      // An unfinished line keeps at most `max` characters waiting: longer, its pieces go out now.
      while (pending.length > max) {
        lines.push(pending.slice(0, max));
        pending = pending.slice(max);
      }
      store(lines);
      this.throttleSocket(socket);
    });
    socket.on("end", () => {
      if (pending !== "") store([stripCR(pending)]);
      pending = "";
    });
    socket.on("error", (e) => {
      failure = e;
    });
    socket.on("close", () => {
      if (this.socket === socket) this.socket = undefined;
      if (this.stopping || !this.isStarted()) return;
      const where = `${this.host}:${this.port}`;
      const message = connected
        ? failure
          ? `error receiving data from ${where}; connecting again in ${this.restartDelayMs} ms`
          : `socket data stream from ${where} had no more data; waiting for ${where} again (every ${this.restartDelayMs} ms)`
        : `waiting for ${where}: cannot connect (${describe(failure)}); retrying every ${this.restartDelayMs} ms (start a server there, e.g. nc -lk ${this.port})`;
      this.reportError(message, failure);
      this.cancelRetry = this.clock.schedule(this.clock.getTimeMillis() + this.restartDelayMs, () => {
        this.cancelRetry = undefined;
        this.connect();
      });
    });
  }
}

function stripCR(line: string): string {
  return line.endsWith("\r") ? line.slice(0, -1) : line;
}

function describe(e: Error | undefined): string {
  if (e === undefined) return "closed";
  const code = (e as NodeJS.ErrnoException).code;
  return code ?? e.message;
}
