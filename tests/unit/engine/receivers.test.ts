import { afterEach, describe, expect, test } from "vitest";
import { Receiver, StreamingContext, Time, type ReceivedBlock, type StreamingEvent } from "../../../engine/index";
import { manualContext, runBatches } from "./helpers";

class ManualReceiver<T> extends Receiver<T> {
  started = false;
  stopped = false;
  onStart() {
    this.started = true;
  }
  onStop() {
    this.stopped = true;
  }
}

const open: StreamingContext[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.stop();
});

describe("receivers", () => {
  test("records land in the batch of their arrival time, while a slow batch is processed", async () => {
    const { ssc, clock } = manualContext();
    open.push(ssc);
    const receiver = new ManualReceiver<string>();
    const batches: [number, string[]][] = [];
    let release!: () => void;
    const slow = new Promise<void>((r) => (release = r));
    let started3000!: () => void;
    const slowStarted = new Promise<void>((r) => (started3000 = r));
    ssc.receiverStream(receiver).foreachRDD(async (rdd, time) => {
      batches.push([time.milliseconds, rdd.collect()]);
      if (time.milliseconds === 3000) {
        started3000();
        await slow; // batch [2s,3s) is processed slowly
      }
    });
    ssc.start();
    expect(receiver.started).toBe(true);
    clock.setTime(2500);
    await ssc.awaitBatchesDue();
    receiver.store("during [2s,3s)");
    clock.setTime(3000); // batch 3000 starts and blocks
    await slowStarted;
    clock.setTime(3200);
    receiver.store("during [3s,4s) while 3000 is processed");
    clock.setTime(3700);
    receiver.storeMany(["a", "b"]);
    clock.setTime(4000); // batch 4000 is generated while 3000 still runs
    clock.setTime(4100);
    receiver.store("during [4s,5s)");
    expect(batches.map((b) => b[0])).toEqual([1000, 2000, 3000]);
    release();
    clock.setTime(5000);
    await ssc.awaitBatchesDue();
    expect(batches).toEqual([
      [1000, []],
      [2000, []],
      [3000, ["during [2s,3s)"]],
      [4000, ["during [3s,4s) while 3000 is processed", "a", "b"]],
      [5000, ["during [4s,5s)"]],
    ]);
  });

  test("a record stamped with its intended time keeps its batch even when stored late", async () => {
    const { ssc, clock } = manualContext();
    open.push(ssc);
    const receiver = new ManualReceiver<string>();
    const batches: [number, string[]][] = [];
    ssc.receiverStream(receiver).foreachRDD((rdd, time) => {
      batches.push([time.milliseconds, rdd.collect()]);
    });
    ssc.start();
    // The event loop "wakes up" at 1999 to store a record meant for 1500, and one meant for 2300.
    clock.setTime(1999);
    receiver.store("meant for 1500", { timeMs: 1500 });
    receiver.store("meant for 2300", { timeMs: 2300 });
    await runBatches(ssc, clock, 2); // to 2999 -> batches 2000
    clock.setTime(3000);
    await ssc.awaitBatchesDue();
    expect(batches).toEqual([
      [1000, []],
      [2000, ["meant for 1500"]],
      [3000, ["meant for 2300"]],
    ]);
  });

  test("a record arriving after its batch was generated goes to the next batch, not lost", async () => {
    const { ssc, clock } = manualContext();
    open.push(ssc);
    const receiver = new ManualReceiver<number>();
    const seen: number[][] = [];
    ssc.receiverStream(receiver).foreachRDD((rdd) => {
      seen.push(rdd.collect());
    });
    ssc.start();
    clock.setTime(1000);
    receiver.store(7, { timeMs: 900 }); // late for batch 1000
    clock.setTime(2000);
    await ssc.awaitBatchesDue();
    expect(seen).toEqual([[], [7]]);
  });

  test("source hooks: block metadata, batch input metadata, batch completion with blocks, positions", async () => {
    const { ssc, clock, events, listen } = manualContext();
    open.push(ssc);
    listen();
    const completed: [number, number[]][] = [];
    let offset = 0;
    class KafkaLike extends Receiver<string> {
      onStart() {}
      onStop() {}
      override summarizeBlocks(blocks: readonly ReceivedBlock<string>[]) {
        return { offsets: blocks.map((b) => b.metadata?.offset) };
      }
      override onBatchCompleted(time: Time, blocks: readonly ReceivedBlock<string>[]) {
        completed.push([time.milliseconds, blocks.map((b) => b.metadata?.offset as number)]);
        offset = Math.max(offset, ...blocks.map((b) => b.metadata?.offset as number));
      }
      override getSourcePosition() {
        return { offset };
      }
    }
    const receiver = new KafkaLike();
    const stream = ssc.receiverStream(receiver);
    const outputsDone: number[] = [];
    stream.foreachRDD((_, t) => {
      outputsDone.push(t.milliseconds);
    });
    ssc.start();
    clock.setTime(500);
    receiver.store("m0", { metadata: { topic: "transactions", partition: 0, offset: 0 } });
    receiver.store("m1", { metadata: { topic: "transactions", partition: 0, offset: 1 } });
    clock.setTime(1000);
    await ssc.awaitBatchesDue();
    expect(completed).toEqual([[1000, [0, 1]]]);
    expect(outputsDone).toEqual([1000]);
    expect(stream.getSourcePosition()).toEqual({ offset: 1 });
    const submitted = events.find((e): e is Extract<StreamingEvent, { type: "batchSubmitted" }> => e.type === "batchSubmitted")!;
    expect(submitted.inputSize).toEqual({ [stream.id]: 2 });
    expect(submitted.inputInfo[0].metadata).toEqual({ offsets: [0, 1] });
    expect(events.some((e) => e.type === "receiverStarted" && e.streamId === stream.id)).toBe(true);
    await ssc.stop();
    expect(events.some((e) => e.type === "receiverStopped")).toBe(true);
    expect(() => receiver.store("after stop")).toThrow(/has been stopped/);
  });

  test("receiver errors are reported as events", async () => {
    const { ssc, clock, events, listen } = manualContext();
    open.push(ssc);
    listen();
    class Failing extends Receiver<number> {
      onStart() {
        throw new Error("cannot connect");
      }
      onStop() {}
    }
    ssc.receiverStream(new Failing()).print();
    ssc.start();
    await runBatches(ssc, clock, 1);
    const err = events.find((e) => e.type === "receiverError");
    expect(err).toMatchObject({ type: "receiverError", receiverName: "Failing", message: "Error starting receiver" });
  });
});

