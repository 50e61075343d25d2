import { describe, expect, it } from "vitest";
import { explainFlag, firedField, windowBatchTimes } from "@/components/dashboard/flagText";
import type { FraudFlag } from "@/engine/pipeline/fraud/flags";
import { csvCell } from "@/server/runs/http/flagsCsv";

// How the fraud panel explains a flag and traces it to batches, and how the export writes cells.

const base: FraudFlag = {
  account: "987-CBA-321",
  rule: "windowSpendingAvg",
  windowSpendingAvg: 2314.27,
  averageTx: 1500,
  historicAvg: 250,
  amount: null,
  threshold: 2000,
  batchTimeMs: 20_000,
  window: { startMs: 10_000, endMs: 20_000 },
  txIds: [3, 7],
  transactions: [],
};

describe("explainFlag", () => {
  it("shows the historic-average rule's subtraction and the threshold it exceeded", () => {
    expect(explainFlag(base)).toBe("windowSpendingAvg 2,314.27 − historic 250.00 = 2,064.27 > 2,000.00");
    expect(explainFlag({ ...base, rule: "averageTx", averageTx: 2400 })).toBe("averageTx 2,400.00 − historic 250.00 = 2,150.00 > 2,000.00");
  });
  it("shows the amount rule's comparison", () => {
    const flag = { ...base, rule: "amount>4000", historicAvg: null, amount: 4322.33, threshold: 4000 };
    expect(firedField(flag)).toBe("amount");
    expect(explainFlag(flag)).toBe("amount 4,322.33 > 4,000.00");
  });
  it("names a rule it cannot explain", () => {
    expect(firedField({ rule: "custom", amount: null })).toBeUndefined();
    expect(explainFlag({ ...base, rule: "custom" })).toBe("rule custom");
  });
});

describe("windowBatchTimes", () => {
  it("lists the batches in (start, end], oldest first", () => {
    expect(windowBatchTimes(base, 5000)).toEqual([15_000, 20_000]);
    expect(windowBatchTimes({ ...base, window: { startMs: 0, endMs: 30_000 }, batchTimeMs: 30_000 }, 10_000)).toEqual([10_000, 20_000, 30_000]);
  });
  it("is the flag's own batch when its stream has no window", () => {
    expect(windowBatchTimes({ ...base, window: { startMs: 20_000, endMs: 20_000 } }, 5000)).toEqual([20_000]);
  });
});

describe("csvCell", () => {
  it("quotes commas, quotes and line breaks (RFC 4180)", () => {
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell('say "hi", then\nleave')).toBe('"say ""hi"", then\nleave"');
  });
  it("prefixes text a spreadsheet would evaluate, but not numbers", () => {
    expect(csvCell("=1+2")).toBe("'=1+2");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell("-5")).toBe("'-5");
    expect(csvCell(-5)).toBe("-5");
  });
  it("keeps a number's full precision unless rounding is asked for", () => {
    expect(csvCell(4333.839999999999)).toBe("4333.839999999999");
    expect(csvCell(4333.839999999999, 2)).toBe("4333.84");
    expect(csvCell(1700000000000, 2)).toBe("1700000000000");
    expect(csvCell(0.125, 0)).toBe("0");
  });
  it("writes nothing for missing numbers", () => {
    expect(csvCell(null)).toBe("");
    expect(csvCell(Number.NaN)).toBe("");
  });
});
