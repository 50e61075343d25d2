import { describe, expect, it } from "vitest";
import type { StreamingEvent } from "@/engine/streaming/events";
import { BatchLog } from "@/server/runs/BatchLog";
import { windowTimelines } from "@/server/runs/aggregate/windows";

/** The article's figure: 1 s batches, a 3 s window sliding every 2 s. */
function windowAt(end: number, inverse = false): StreamingEvent {
  const covered = [end - 2000, end - 1000, end].filter((t) => t > 0);
  return {
    type: "window",
    batchTimeMs: end,
    streamId: "window:out",
    streamName: "WindowedDStream",
    windowStartMs: end - 3000,
    windowEndMs: end,
    windowDurationMs: 3000,
    slideDurationMs: 2000,
    coveredTimesMs: covered,
    ...(inverse ? { enteredTimesMs: [end - 1000, end], leftTimesMs: [end - 3000, end - 4000].filter((t) => t > 0) } : {}),
  };
}

describe("window timeline", () => {
  it("derives entered and left batches from consecutive windows when the engine does not report them", () => {
    const log = new BatchLog();
    [2000, 4000, 6000].forEach((t) => log.apply(windowAt(t)));
    const [tl] = windowTimelines(log.list(), 1000);
    expect(tl).toMatchObject({ streamId: "window:out", windowDurationMs: 3000, slideDurationMs: 2000, inverse: false, parentIntervalMs: 1000 });
    expect(tl.windows.map((w) => [w.windowEndMs, w.coveredTimesMs, w.entered, w.left])).toEqual([
      [2000, [1000, 2000], [1000, 2000], []],
      [4000, [2000, 3000, 4000], [3000, 4000], [1000]],
      [6000, [4000, 5000, 6000], [5000, 6000], [2000, 3000]],
    ]);
    // Buckets from the oldest window's start to the newest window's end.
    expect(tl.batchTimesMs).toEqual([1000, 2000, 3000, 4000, 5000, 6000]);
  });

  it("uses the engine's entered and left batches for the inverse form", () => {
    const log = new BatchLog();
    [4000, 6000].forEach((t) => log.apply(windowAt(t, true)));
    const [tl] = windowTimelines(log.list(), 1000);
    expect(tl.inverse).toBe(true);
    expect(tl.windows.at(-1)).toMatchObject({ entered: [5000, 6000], left: [2000, 3000] });
  });

  it("keeps the newest windows only, still comparing the oldest shown with its predecessor", () => {
    const log = new BatchLog();
    for (let t = 2000; t <= 20000; t += 2000) log.apply(windowAt(t));
    const [tl] = windowTimelines(log.list(), 1000, 3);
    expect(tl.windows.map((w) => w.windowEndMs)).toEqual([16000, 18000, 20000]);
    expect(tl.windows[0].left).toEqual([12000, 13000]);
  });

  it("gives no timeline for a run without windows", () => {
    expect(windowTimelines(new BatchLog().list(), 1000)).toEqual([]);
  });
});
