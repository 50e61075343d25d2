import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { Seconds, SocketTextReceiver, type StreamingContext, type StreamingEvent } from "../../../engine/index";
import { manualContext, runBatches } from "./helpers";

const open: StreamingContext[] = [];
const servers: net.Server[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.stop();
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
});

/** A TCP server on a free loopback port; `connections` yields each accepted socket. */
async function listen(port = 0): Promise<{ server: net.Server; port: number; next: () => Promise<net.Socket> }> {
  const waiting: ((s: net.Socket) => void)[] = [];
  const queued: net.Socket[] = [];
  const server = net.createServer((socket) => {
    const w = waiting.shift();
    if (w) w(socket);
    else queued.push(socket);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    server,
    port: (server.address() as net.AddressInfo).port,
    next: () => (queued.length > 0 ? Promise.resolve(queued.shift()!) : new Promise((r) => waiting.push(r))),
  };
}

/** Resolves on the first receiverError event whose message matches. */
function receiverReport(ssc: StreamingContext, pattern: RegExp): Promise<StreamingEvent> {
  return new Promise((resolve) => {
    ssc.addStreamingListener((e) => {
      if (e.type === "receiverError" && pattern.test(e.message ?? "")) resolve(e);
    });
  });
}

describe("ssc.socketTextStream", () => {
  it("stores one UTF-8 record per line, \\r\\n or \\n, a character split across packets kept whole, the last line at the end", async () => {
    const { port, next } = await listen();
    const { ssc, clock } = manualContext();
    open.push(ssc);
    const batches: string[][] = [];
    ssc.socketTextStream("127.0.0.1", port).foreachRDD((rdd) => void batches.push(rdd.collect()));
    const ended = receiverReport(ssc, /had no more data/);
    ssc.start();
    const peer = await next();
    const e = Buffer.from("é");
    peer.write(Buffer.concat([Buffer.from("hello world\r\ncaf"), e.subarray(0, 1)]));
    peer.write(Buffer.concat([e.subarray(1), Buffer.from("\n\nlast")]));
    peer.end();
    await ended;
    await runBatches(ssc, clock, 1);
    expect(batches).toEqual([["hello world", "café", "", "last"]]);
  });

  it("reports that it waits while nothing listens, and connects once a server is there", async () => {
    const probe = await listen();
    const port = probe.port;
    await new Promise((r) => probe.server.close(r));
    servers.splice(servers.indexOf(probe.server), 1);

    const { ssc, clock } = manualContext();
    open.push(ssc);
    const batches: string[][] = [];
    ssc.socketTextStream("127.0.0.1", port).foreachRDD((rdd) => void batches.push(rdd.collect()));
    const waiting = receiverReport(ssc, /waiting for 127\.0\.0\.1:\d+: cannot connect \(ECONNREFUSED\); retrying every 2000 ms/);
    ssc.start();
    const report = await waiting;
    expect(report).toMatchObject({ receiverName: `SocketReceiver(127.0.0.1:${port})` });

    const { next } = await listen(port);
    clock.advance(Seconds(2)); // the restart delay, on the context's clock
    const peer = await next();
    const ended = receiverReport(ssc, /had no more data/);
    peer.end("a b\nc\n");
    await ended;
    await runBatches(ssc, clock, 1);
    expect(batches.flat()).toEqual(["a b", "c"]);
  });

  it("cuts a line that never ends into pieces instead of holding it whole", async () => {
    const { port, next } = await listen();
    const { ssc, clock } = manualContext();
    open.push(ssc);
    const seen: string[] = [];
    ssc.receiverStream(new SocketTextReceiver("127.0.0.1", port, { maxLineLength: 4 })).foreachRDD((rdd) => void seen.push(...rdd.collect()));
    const ended = receiverReport(ssc, /had no more data/);
    ssc.start();
    (await next()).end("abcdefghij\nxy\n");
    await ended;
    await runBatches(ssc, clock, 1);
    expect(seen).toEqual(["abcd", "efgh", "ij", "xy"]);
  });

  it("refuses a bad host or port with a clear message", () => {
    expect(() => new SocketTextReceiver("", 9999)).toThrow(/host must be a non-empty string/);
    expect(() => new SocketTextReceiver("localhost", 70000)).toThrow(/port must be a whole number from 1 to 65535, got 70000/);
  });
});
