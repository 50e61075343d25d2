import { afterEach, describe, expect, test } from "vitest";
import { Milliseconds, Seconds, SparkException, StreamingContext, Time, UnsupportedOperationException } from "../../../engine/index";
import { manualContext } from "./helpers";

const open: StreamingContext[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.stop();
});
function ctx() {
  const c = manualContext();
  open.push(c.ssc);
  return c;
}

describe("validation messages", () => {
  test("window and slide must be multiples of the parent's slide", () => {
    const { ssc } = ctx();
    const s = ssc.queueStream<number>([]);
    expect(() => s.window(Milliseconds(1500), Seconds(1))).toThrow(
      /^The window duration of windowed DStream \(1500 ms\) must be a multiple of the slide duration of parent DStream \(1000 ms\) \[parent: QueueInputDStream \[stream-0\]\]$/,
    );
    expect(() => s.window(Seconds(2), Milliseconds(500))).toThrow(
      /^The slide duration of windowed DStream \(500 ms\) must be a multiple of the slide duration of parent DStream \(1000 ms\)/,
    );
    const pairs = s.map((x) => [x, x] as [number, number]);
    expect(() => pairs.reduceByKeyAndWindow((a, b) => a + b, (a, b) => a - b, Milliseconds(2500), Seconds(1))).toThrow(
      /^requirement failed: The window duration of ReducedWindowedDStream \(2500 ms\) must be multiple of the slide duration of parent DStream \(1000 ms\)/,
    );
    expect(() => pairs.reduceByKeyAndWindow((a, b) => a + b, (a, b) => a - b, Seconds(2), Milliseconds(1500))).toThrow(
      /^requirement failed: The slide duration of ReducedWindowedDStream \(1500 ms\) must be multiple of the slide duration of parent DStream \(1000 ms\)/,
    );
  });

  test("inverse windows need a checkpoint directory", () => {
    const { ssc } = ctx();
    ssc.queueStream<number>([]).countByWindow(Seconds(2), Seconds(1)).print();
    expect(() => ssc.start()).toThrow("requirement failed: The checkpoint directory has not been set. Please set it by StreamingContext.checkpoint().");
  });

  test("checkpoint interval lower than, or not a multiple of, the slide", () => {
    const a = ctx();
    a.ssc.checkpoint("/tmp/x");
    a.ssc.queueStream<number>([]).window(Seconds(2), Seconds(2)).map((x) => x).checkpoint(Seconds(1)).print();
    expect(() => a.ssc.start()).toThrow(
      "requirement failed: The checkpoint interval for MappedDStream has been set to 1000 ms which is lower than its slide time (2000 ms). Please set it to at least 2000 ms.",
    );
    const b = ctx();
    b.ssc.checkpoint("/tmp/x");
    b.ssc.queueStream<number>([]).window(Seconds(2), Seconds(2)).map((x) => x).checkpoint(Seconds(3)).print();
    expect(() => b.ssc.start()).toThrow(
      "requirement failed: The checkpoint interval for MappedDStream has been set to  3000 ms which not a multiple of its slide time (2000 ms). Please set it to a multiple of 2000 ms.",
    );
  });

  test("default checkpoint interval is the smallest multiple of the slide >= 10 s, remember twice that", () => {
    const { ssc } = ctx();
    ssc.checkpoint("/tmp/x");
    const s = ssc.queueStream<number>([]);
    const by1 = s.countByWindow(Seconds(6), Seconds(1));
    const by3 = s.countByWindow(Seconds(6), Seconds(3));
    by1.print();
    by3.print();
    ssc.start();
    const inner = (d: typeof by1) => d.dependencies[0]; // countByWindow = map(...).reduceByKeyAndWindow(...).map(...)
    expect(inner(by1).checkpointDuration).toEqual(Seconds(10));
    expect(inner(by3).checkpointDuration).toEqual(Seconds(12));
    expect(inner(by1).rememberDuration).toEqual(Seconds(20));
  });

  test("persist and checkpoint after start are unsupported", () => {
    const { ssc } = ctx();
    const s = ssc.queueStream<number>([]);
    s.print();
    ssc.start();
    expect(() => s.persist()).toThrow(UnsupportedOperationException);
    expect(() => s.persist()).toThrow(/^Cannot change storage level of a DStream after streaming context has started/);
    expect(() => s.checkpoint(Seconds(10))).toThrow(/^Cannot change checkpoint interval of a DStream after streaming context has started/);
  });

  test("slice before start fails; union of different slides fails", () => {
    const { ssc } = ctx();
    const s = ssc.queueStream<number>([]);
    expect(() => s.slice(new Time(0), new Time(1000))).toThrow(SparkException);
    expect(() => s.slice(new Time(0), new Time(1000))).toThrow("QueueInputDStream [stream-0] has not been initialized");
    expect(() => s.union(s.window(Seconds(2), Seconds(2)))).toThrow(/^requirement failed: Some of the DStreams have different slide durations/);
  });

  test("durations must be explicit and positive", () => {
    expect(() => new StreamingContext(Milliseconds(0))).toThrow(/The batch duration must be a positive Duration/);
  });
});
