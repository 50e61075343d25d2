import { describe, expect, it } from "vitest";
import { downsampleMinMax } from "@/server/runs/aggregate/downsample";

const series = (n: number, f: (i: number) => number) => Array.from({ length: n }, (_, i) => ({ t: i, v: f(i) }));

describe("downsampleMinMax", () => {
  it("returns short series unchanged", () => {
    const s = series(10, (i) => i);
    expect(downsampleMinMax(s, (p) => p.v, 1000)).toEqual(s);
  });

  it("shrinks a long series to at most the limit, in time order, keeping both ends", () => {
    const s = series(100_000, (i) => Math.sin(i / 50));
    const out = downsampleMinMax(s, (p) => p.v, 1000);
    expect(out.length).toBeLessThanOrEqual(1000);
    expect(out.length).toBeGreaterThan(900);
    expect(out[0]).toBe(s[0]);
    expect(out[out.length - 1]).toBe(s[s.length - 1]);
    for (let i = 1; i < out.length; i++) expect(out[i].t).toBeGreaterThan(out[i - 1].t);
  });

  it("keeps a lone spike and a lone dip", () => {
    const s = series(50_000, () => 10);
    s[12_345].v = 9_999;
    s[40_001].v = -5;
    const out = downsampleMinMax(s, (p) => p.v, 500);
    expect(out.some((p) => p.v === 9_999)).toBe(true);
    expect(out.some((p) => p.v === -5)).toBe(true);
  });

  it("keeps one point for a bucket with no value yet", () => {
    const s = series(100, () => NaN);
    expect(downsampleMinMax(s, (p) => p.v, 10).length).toBeLessThanOrEqual(10);
  });

  it("refuses a limit too small to hold the ends and one bucket", () => {
    expect(() => downsampleMinMax(series(10, (i) => i), (p) => p.v, 3)).toThrow(/at least 4/);
  });
});
