import { afterEach, describe, expect, test, vi } from "vitest";
import { IllegalArgumentException, IllegalStateException, Seconds, StreamOperationError, StreamingContext, StreamingContextState } from "../../../engine/index";
import { manualContext, runBatches } from "./helpers";

const open: StreamingContext[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.stop();
});
function ctx() {
  const c = manualContext();
  open.push(c.ssc);
  return c;
}

describe("StreamingContext lifecycle", () => {
  test("moves from INITIALIZED to ACTIVE to STOPPED and resolves awaitTermination", async () => {
    const { ssc } = ctx();
    ssc.queueStream([]).foreachRDD(() => {});
    expect(ssc.getState()).toBe(StreamingContextState.INITIALIZED);
    ssc.start();
    expect(ssc.getState()).toBe(StreamingContextState.ACTIVE);
    expect(StreamingContext.getActive()).toBe(ssc);
    const terminated = ssc.awaitTermination();
    await ssc.stop();
    await terminated;
    expect(ssc.getState()).toBe(StreamingContextState.STOPPED);
    expect(StreamingContext.getActive()).toBeUndefined();
  });

  test("start twice only warns; start after stop throws", async () => {
    const { ssc } = ctx();
    ssc.queueStream([]).foreachRDD(() => {});
    ssc.start();
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    ssc.start();
    expect(warn).toHaveBeenCalledWith("StreamingContext has already been started");
    warn.mockRestore();
    await ssc.stop();
    expect(() => ssc.start()).toThrow(new IllegalStateException("StreamingContext has already been stopped"));
  });

  test("only one context may be active; getActiveOrCreate returns it", async () => {
    const a = ctx();
    a.ssc.queueStream([]).foreachRDD(() => {});
    a.ssc.start();
    const b = ctx();
    b.ssc.queueStream([]).foreachRDD(() => {});
    expect(() => b.ssc.start()).toThrow(/Only one StreamingContext may be started/);
    expect(StreamingContext.getActiveOrCreate(() => b.ssc)).toBe(a.ssc);
    await a.ssc.stop();
    expect(StreamingContext.getActiveOrCreate(() => b.ssc)).toBe(b.ssc);
  });

  test("no output operation registered fails at start", () => {
    const { ssc } = ctx();
    ssc.queueStream([]).map((x) => x);
    expect(() => ssc.start()).toThrow("requirement failed: No output operations registered, so nothing to execute");
  });

  test("operations added after start or after stop are rejected", async () => {
    const { ssc } = ctx();
    const s = ssc.queueStream<number>([]);
    s.foreachRDD(() => {});
    ssc.start();
    expect(() => s.map((x) => x)).toThrow(/^Adding new inputs, transformations, and output operations after starting a context is not supported/);
    expect(() => s.map((x) => x)).toThrow(/MappedDStream/);
    await ssc.stop();
    expect(() => s.filter(() => true)).toThrow(/after stopping a context is not supported/);
  });

  test("remember may be set only once", () => {
    const { ssc } = ctx();
    ssc.remember(Seconds(60));
    expect(() => ssc.remember(Seconds(10))).toThrow(new IllegalArgumentException("requirement failed: Remember duration already set as 60000 ms. Cannot set it again."));
  });

  test("a failing output job does not stop later batches; awaitTermination rethrows, attributed to the stream", async () => {
    const { ssc, clock } = ctx();
    const queue = [1, 2, 3].map((i) => ssc.sc.makeRDD([i]));
    const mapped = ssc.queueStream(queue).map((x) => {
      if (x === 1) throw new Error("boom");
      return x * 10;
    });
    const seen: number[][] = [];
    mapped.foreachRDD((rdd) => {
      seen.push(rdd.collect());
    });
    ssc.start();
    const termination = ssc.awaitTermination();
    await runBatches(ssc, clock, 3);
    expect(seen).toEqual([[20], [30]]);
    const error = await termination.then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(StreamOperationError);
    expect((error as StreamOperationError).streamId).toBe(mapped.id);
    expect((error as StreamOperationError).batchTimeMs).toBe(1000);
    expect((error as Error).message).toBe(`Error in MappedDStream [${mapped.id}] at time 1000 ms: boom`);
  });

  test("stream ids are deterministic by construction order and can be overridden", () => {
    const build = () => {
      const { ssc } = manualContext();
      const s = ssc.queueStream<number>([]);
      const m = s.map((x) => x).filter(() => true);
      return [s.id, m.id];
    };
    expect(build()).toEqual(build());
    expect(build()).toEqual(["stream-0", "stream-2"]);
    const { ssc } = ctx();
    const s = ssc.queueStream<number>([]).withId("source:out").setName("numbers");
    expect(s.id).toBe("source:out");
    expect(String(s)).toBe("numbers [source:out]");
    expect(() => s.map((x) => x).withId("source:out")).toThrow(/already used/);
  });

  test("graceful stop processes records already received", async () => {
    const { ssc, clock } = ctx();
    const { Receiver } = await import("../../../engine/index");
    class Once extends Receiver<string> {
      onStart() {
        this.store("late");
      }
      onStop() {}
    }
    const seen: string[] = [];
    ssc.receiverStream(new Once()).foreachRDD((rdd) => {
      seen.push(...rdd.collect());
    });
    ssc.start();
    clock.advance(Seconds(0.5));
    await ssc.stop({ stopGracefully: true });
    expect(seen).toEqual(["late"]);
  });
});
