import { describe, expect, it } from "vitest";
import {
  fieldColumns,
  formatBatchTime,
  formatDuration,
  formatDurationTick,
  formatNumber,
  formatTick,
  formatTickNumber,
  formatValue,
  fullNumber,
  fullValue,
  roundNumbersInText,
  ticksOf,
} from "@/components/dashboard/format";

describe("dashboard number formats", () => {
  it("rounds float noise for display and keeps the full value for hover", () => {
    expect(formatNumber(4333.839999999999)).toBe("4,333.84");
    expect(formatNumber(2314.2699999999995)).toBe("2,314.27");
    expect(fullNumber(4333.839999999999)).toBe("4333.839999999999");
    expect(formatNumber(1234567)).toBe("1,234,567");
    expect(formatNumber(-0.5)).toBe("-0.5");
  });

  it("keeps three significant digits below 1, so small values do not read as 0", () => {
    expect(formatNumber(0.25)).toBe("0.25");
    expect(formatNumber(0.001234)).toBe("0.00123");
    expect(formatNumber(0.1 + 0.2)).toBe("0.3");
  });

  it("says — for no number and ∞ for an infinite one", () => {
    expect(formatNumber(undefined)).toBe("—");
    expect(formatNumber(null)).toBe("—");
    expect(formatNumber(Number.NaN)).toBe("—");
    expect(formatNumber(Infinity)).toBe("∞");
  });

  it("writes axis ticks exactly: 0.25 is not rounded to 0.3", () => {
    expect(formatTickNumber(0.25)).toBe("0.25");
    expect(formatTickNumber(1.5)).toBe("1.5");
    expect(formatTickNumber(7500)).toBe("7,500");
    expect(formatTickNumber(12_500)).toBe("12.5K");
    expect(formatTickNumber(3_000_000)).toBe("3M");
  });

  it("puts the y ticks of a nice axis maximum on round steps", () => {
    expect(ticksOf(250)).toEqual([0, 50, 100, 150, 200, 250]);
    expect(ticksOf(1000)).toEqual([0, 250, 500, 750, 1000]);
    expect(ticksOf(2)).toEqual([0, 0.5, 1, 1.5, 2]);
    expect(ticksOf(5)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(ticksOf(0.25)).toEqual([0, 0.05, 0.1, 0.15, 0.2, 0.25]);
  });

  it("joins a duration tick's number and unit with a no-break space, so '500 ms' never wraps", () => {
    expect(formatDurationTick(500)).toBe("500\u00a0ms");
    expect(formatDurationTick(0.25)).toBe("0.25\u00a0ms");
    expect(formatDurationTick(2500)).toBe("2.5\u00a0s");
    expect(formatDurationTick(500)).not.toContain(" ");
  });

  it("formats durations as Spark's UI does, with a decimal for a few ms", () => {
    expect(formatDuration(250)).toBe("250 ms");
    expect(formatDuration(2.54)).toBe("2.5 ms");
    expect(formatDuration(1500)).toBe("1.5 s");
    expect(formatDuration(125_000)).toBe("2 min 5 s");
    expect(formatDuration(undefined)).toBe("—");
  });

  it("puts the hour on time-axis ticks", () => {
    const t = new Date(2026, 10, 29, 20, 41, 7).getTime();
    expect(formatTick(t)).toBe("20:41:07");
    expect(formatBatchTime(t + 250)).toBe("20:41:07.250");
    expect(formatTick(3000)).toBe("3s");
  });

  it("rounds only noisy decimals in printed text, keeping its shape", () => {
    expect(roundNumbersInText("(987-CBA-321,4333.839999999999)")).toBe("(987-CBA-321,4333.84)");
    expect(roundNumbersInText("{avg: 0.30000000000000004, n: 3, amount: 10.34}")).toBe("{avg: 0.3, n: 3, amount: 10.34}");
    expect(roundNumbersInText("id 1234567890 at 12.5")).toBe("id 1234567890 at 12.5");
    expect(roundNumbersInText("-2314.2699999999995")).toBe("-2314.27");
  });

  it("formats a state field for a cell, and keeps its full form for the JSON view", () => {
    expect(formatValue(4333.839999999999)).toBe("4,333.84");
    expect(formatValue("Gas")).toBe("Gas");
    expect(formatValue({ sum: 0.30000000000000004 })).toBe('{"sum":0.3}');
    expect(formatValue(undefined)).toBe("—");
    expect(fullValue({ sum: 0.30000000000000004 })).toBe('{"sum":0.30000000000000004}');
  });

  it("lists the fields of plain state objects as columns, in first-seen order", () => {
    expect(fieldColumns([{ total: 1, count: 2 }, { total: 3, avg: 1.5 }])).toEqual(["total", "count", "avg"]);
    expect(fieldColumns([{ a: 1 }, 5])).toEqual([]);
    expect(fieldColumns([[1, 2]])).toEqual([]);
    expect(fieldColumns([{ a: 1, b: 2, c: 3 }], 2)).toEqual(["a", "b"]);
  });
});
