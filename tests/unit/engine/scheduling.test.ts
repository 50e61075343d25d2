import { afterEach, describe, expect, test } from "vitest";
import { StreamingContext } from "../../../engine/index";
import { manualContext, runBatches } from "./helpers";

const open: StreamingContext[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.stop();
});

/** Two async outputs that log their start and end, each yielding to the event loop a few times. */
function setup(concurrentJobs: number) {
  const { ssc, clock } = manualContext({ concurrentJobs });
  open.push(ssc);
  const log: string[] = [];
  const s = ssc.queueStream([ssc.sc.makeRDD([1]), ssc.sc.makeRDD([2])]);
  for (const name of ["A", "B"]) {
    s.foreachRDD(async (_rdd, t) => {
      log.push(`${name}${t.milliseconds / 1000} start`);
      for (let i = 0; i < 3; i++) await Promise.resolve();
      log.push(`${name}${t.milliseconds / 1000} end`);
    });
  }
  ssc.start();
  return { ssc, clock, log };
}

describe("job scheduling", () => {
  test("with concurrentJobs = 1, jobs run one at a time in output order, batch after batch", async () => {
    const { ssc, clock, log } = setup(1);
    clock.advance(ssc.batchDuration.times(2));
    await ssc.awaitBatchesDue();
    expect(log).toEqual(["A1 start", "A1 end", "B1 start", "B1 end", "A2 start", "A2 end", "B2 start", "B2 end"]);
  });

  test("with concurrentJobs = 2, two jobs overlap", async () => {
    const { ssc, clock, log } = setup(2);
    await runBatches(ssc, clock, 1);
    expect(log.slice(0, 2)).toEqual(["A1 start", "B1 start"]);
    expect(log).toHaveLength(4);
  });
});
