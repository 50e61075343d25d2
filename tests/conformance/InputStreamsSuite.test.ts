import { describe, expect, test } from "vitest";
import { ManualClock, Seconds, StreamingContext, type RDD } from "../../engine/index";
import { batchDuration } from "./harness";

/** Collects every batch of a queue stream, as TestOutputStream does. */
function setup(oneAtATime: boolean) {
  const clock = new ManualClock(0);
  const ssc = new StreamingContext(batchDuration, { clock });
  const queue: RDD<string>[] = [];
  const output: string[][] = [];
  ssc.queueStream(queue, { oneAtATime }).foreachRDD((rdd) => {
    output.push(rdd.collect());
  });
  ssc.start();
  return { ssc, clock, queue, output, nonEmpty: () => output.filter((b) => b.length > 0) };
}

describe("InputStreamsSuite", () => {
  test("queue input stream - oneAtATime = true", async () => {
    const input = ["1", "2", "3", "4", "5"];
    const { ssc, clock, queue, nonEmpty } = setup(true);
    const it = input[Symbol.iterator]();
    try {
      for (let i = 0; i < input.length; i++) {
        // Enqueue more than 1 item per tick; they must still dequeue one at a time.
        for (let k = 0; k < 2; k++) {
          const n = it.next();
          if (!n.done) queue.push(ssc.sparkContext.makeRDD([n.value]));
        }
        clock.advance(batchDuration);
      }
      await ssc.awaitBatchesDue();
      expect(nonEmpty()).toEqual(input.map((x) => [x]));
    } finally {
      await ssc.stop();
    }
  });

  test("queue input stream - oneAtATime = false", async () => {
    const { ssc, clock, queue, nonEmpty } = setup(false);
    try {
      for (const x of ["1", "2", "3"]) queue.push(ssc.sparkContext.makeRDD([x]));
      clock.advance(Seconds(1));
      await ssc.awaitBatchesDue();
      for (const x of ["4", "5"]) queue.push(ssc.sparkContext.makeRDD([x]));
      clock.advance(Seconds(1));
      await ssc.awaitBatchesDue();
      expect(nonEmpty()).toEqual([["1", "2", "3"], ["4", "5"]]);
    } finally {
      await ssc.stop();
    }
  });
});
