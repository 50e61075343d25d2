import { describe, expect, it } from "vitest";
import { checkedSnapshot } from "@/server/runs/RunStore";
import { answerStateQuery } from "@/server/runs/state/answer";
import { plainData } from "@/server/runs/state/plainData";
import { StateTracker } from "@/server/runs/state/StateTracker";
import type { StatePage, StateSeries } from "@/server/runs/state/types";

// A run's last state snapshot as plain data: exported by the run's process, checked and stored by
// the hub, read back into a tracker that pages, searches and sorts it like a live one.

describe("plainData", () => {
  it("copies a state as JSON-safe data, bounded", () => {
    class Agg {
      constructor(
        readonly total: number,
        readonly seen: Set<string>,
      ) {}
    }
    expect(plainData(new Agg(0.30000000000000004, new Set(["a"])))).toEqual({ total: 0.30000000000000004, seen: ["a"] });
    expect(plainData({ f: () => 1, n: Number.NaN, u: undefined, b: 10n })).toEqual({ f: "<function>", n: "NaN", u: null, b: "10" });
    expect(plainData({ a: { b: { c: { d: { e: 1 } } } } })).toEqual({ a: { b: { c: { d: "<nested too deep>" } } } });
    expect((plainData("x".repeat(5000)) as string).length).toBe(1000);
    const hostile = { get boom(): number { throw new Error("no"); } };
    expect(plainData(hostile)).toBe("<unreadable: no>");
  });
});

describe("a stored state snapshot", () => {
  const live = new StateTracker();
  live.apply(1000, Array.from({ length: 30 }, (_, i) => [`k${String(i).padStart(2, "0")}`, { sum: i * 1.1, n: i }]));
  live.apply(2000, Array.from({ length: 30 }, (_, i) => [`k${String(i).padStart(2, "0")}`, { sum: i * 1.1 + (i === 3 ? 1 : 0), n: i }]));

  it("exports the newest snapshot in key order, at most maxKeys keys, and says how many it left out", () => {
    const out = live.export(10);
    expect(out.batchTimeMs).toBe(2000);
    expect(out.entries).toHaveLength(10);
    expect(out.truncated).toBe(20);
    expect(out.entries[3]).toEqual({ key: "k03", value: expect.stringContaining("sum"), data: { sum: 3 * 1.1 + 1, n: 3 }, updatedMs: 2000 });
    expect(out.entries[4].updatedMs).toBe(1000);
  });

  it("restores into a tracker that pages, searches and sorts as the live one did", () => {
    const { entries } = live.export(100);
    const restored = StateTracker.restore(2000, entries);
    const trackers = new Map([["s:out", { tracker: restored, info: { streamId: "s:out", nodeId: "s", kind: "updateStateByKey", label: "s", keys: 30 } }]]);
    const page = answerStateQuery(trackers, { kind: "page", streamId: "s:out", offset: 25, limit: 25 }) as StatePage;
    expect(page).toMatchObject({ total: 30, matched: 30, offset: 25, batchTimeMs: 2000 });
    expect(page.rows.map((r) => r.key)).toEqual(["k25", "k26", "k27", "k28", "k29"]);
    expect(page.rows[0].data).toEqual({ sum: 25 * 1.1, n: 25 });
    const found = answerStateQuery(trackers, { kind: "page", streamId: "s:out", search: "k03" }) as StatePage;
    expect(found.rows).toEqual([expect.objectContaining({ key: "k03", updatedMs: 2000 })]);
    const top = answerStateQuery(trackers, { kind: "page", streamId: "s:out", sort: "value", desc: true, limit: 1 }) as StatePage;
    expect(top.rows[0].key).toBe("k29");
    const series = answerStateQuery(trackers, { kind: "series", streamId: "s:out", top: 2 }) as StateSeries;
    expect(series).toMatchObject({ keys: ["k29", "k28"], field: "sum" });
  });

  it("is checked before it is stored: malformed entries and snapshots are left out", () => {
    expect(checkedSnapshot(null)).toBeUndefined();
    expect(checkedSnapshot({ info: {}, batchTimeMs: 1, entries: [] })).toBeUndefined();
    expect(checkedSnapshot({ info: { streamId: "s" }, batchTimeMs: "soon", entries: [] })).toBeUndefined();
    const snap = checkedSnapshot({ info: { streamId: "s", nodeId: "s", kind: "k", label: "l", keys: 2 }, batchTimeMs: 5, entries: [{ key: "a", value: "1", data: 1, updatedMs: 5 }, { key: 7 }], truncated: 0 });
    expect(snap?.entries).toHaveLength(1);
    expect(snap?.truncated).toBe(1);
  });
});
