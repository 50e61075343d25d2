import { afterEach, describe, expect, test } from "vitest";
import { StreamingContext } from "../../../engine/index";
import { manualContext, runBatches } from "./helpers";

const open: StreamingContext[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.stop();
});

describe("queueStream", () => {
  test("an empty queue gives the default batch, or an empty one", async () => {
    const { ssc, clock } = manualContext();
    open.push(ssc);
    const withDefault: number[][] = [];
    const withoutDefault: number[][] = [];
    ssc.queueStream([ssc.sc.makeRDD([1])], { defaultBatch: ssc.sc.makeRDD([0]) }).foreachRDD((r) => void withDefault.push(r.collect()));
    ssc.queueStream<number>([]).foreachRDD((r) => void withoutDefault.push(r.collect()));
    ssc.start();
    await runBatches(ssc, clock, 3);
    expect(withDefault).toEqual([[1], [0], [0]]);
    expect(withoutDefault).toEqual([[], [], []]);
  });

  test("slice reads remembered batches of the article's example", async () => {
    const { ssc, clock } = manualContext();
    open.push(ssc);
    const rdds = Array.from({ length: 10 }, (_, i) => ssc.sc.makeRDD([(i + 1) % 4]));
    const s = ssc.queueStream(rdds);
    s.foreachRDD(() => {});
    ssc.remember((await import("../../../engine/index")).Seconds(60));
    ssc.start();
    await runBatches(ssc, clock, 10);
    const { Time, Seconds } = await import("../../../engine/index");
    const sliced = s.slice(new Time(0), new Time(0).plus(Seconds(10))).map((r) => r.collect()[0]);
    expect(sliced).toEqual([1, 2, 3, 0, 1, 2, 3, 0, 1, 2]);
  });
});
