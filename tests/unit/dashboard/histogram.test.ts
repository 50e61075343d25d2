import { describe, expect, it } from "vitest";
import { histogram } from "@/server/runs/aggregate/histogram";

describe("histogram", () => {
  it("counts values into equal bins from 0 to the maximum", () => {
    const bins = histogram([0, 1, 2, 3, 9, 10], { bins: 5 });
    expect(bins.map((b) => [b.from, b.to, b.count])).toEqual([
      [0, 2, 2],
      [2, 4, 2],
      [4, 6, 0],
      [6, 8, 0],
      [8, 10, 2],
    ]);
  });

  it("puts values beyond the range into the end bins and ignores missing ones", () => {
    const bins = histogram([-3, 5, 50, undefined, NaN], { bins: 2, min: 0, max: 10 });
    expect(bins.map((b) => b.count)).toEqual([1, 2]);
  });

  it("gives empty bins over a unit range for no values, and never zero-width bins", () => {
    expect(histogram([], { bins: 4 }).every((b) => b.count === 0 && b.to > b.from)).toBe(true);
    expect(histogram([0, 0, 0], { bins: 2 }).map((b) => b.count)).toEqual([3, 0]);
  });

  it("handles long series without overflowing the call stack", () => {
    const values = Array.from({ length: 300_000 }, (_, i) => i % 100);
    expect(histogram(values, { bins: 10 }).reduce((a, b) => a + b.count, 0)).toBe(300_000);
  });
});
