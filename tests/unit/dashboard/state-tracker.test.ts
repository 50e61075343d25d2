import { describe, expect, it } from "vitest";
import { StateTracker } from "@/server/runs/state/StateTracker";

// The worker's copy of a state stream: fed each batch's whole snapshot, it answers pages,
// diffs and series, so that the browser never receives the state whole.

const pairs = (o: Record<string, unknown>) => Object.entries(o);

describe("state tracker", () => {
  it("counts the keys each batch added, updated, removed and timed out", () => {
    const t = new StateTracker({ timeoutMs: 3000 });
    expect(t.apply(1000, pairs({ a: 1, b: 2, c: 3 }))).toEqual({ added: 3, updated: 0, removed: 0, timedOut: 0, total: 3 });
    expect(t.apply(2000, pairs({ a: 1, b: 5, d: 1 }))).toEqual({ added: 1, updated: 1, removed: 1, timedOut: 0, total: 3 });
    // a was last updated at 1000: gone at 4000 is a timeout (3 s idle); b (updated at 2000) is removed.
    expect(t.apply(4000, pairs({ d: 1 }))).toEqual({ added: 0, updated: 0, removed: 1, timedOut: 1, total: 1 });
  });

  it("pages, sorts and searches the newest snapshot, marking what the newest batch changed", () => {
    const t = new StateTracker({ timeoutMs: 5000 });
    t.apply(1000, pairs({ apple: 3, banana: 10, cherry: 7 }));
    t.apply(2000, pairs({ apple: 4, banana: 10, cherry: 7, date: 1 }));
    const byValue = t.page({ kind: "page", streamId: "s", sort: "value", desc: true, limit: 2 });
    expect(byValue.rows.map((r) => [r.key, r.value, r.change])).toEqual([
      ["banana", "10", undefined],
      ["cherry", "7", undefined],
    ]);
    expect(byValue).toMatchObject({ total: 4, matched: 4, batchTimeMs: 2000, batches: [1000, 2000] });
    const next = t.page({ kind: "page", streamId: "s", sort: "value", desc: true, limit: 2, offset: 2 });
    expect(next.rows.map((r) => [r.key, r.change, r.updatedMs, r.timesOutAtMs])).toEqual([
      ["apple", "updated", 2000, 7000],
      ["date", "added", 2000, 7000],
    ]);
    expect(t.page({ kind: "page", streamId: "s", search: "AN" }).rows.map((r) => r.key)).toEqual(["banana"]);
    expect(t.page({ kind: "page", streamId: "s", changedOnly: true }).rows.map((r) => r.key)).toEqual(["apple", "date"]);
    expect(t.page({ kind: "page", streamId: "s", sort: "updated", desc: true, limit: 1 }).rows[0].key).toBe("date");
  });

  it("diffs any two retained batches, leaving out keys that changed back", () => {
    const t = new StateTracker();
    t.apply(1000, pairs({ a: 1, b: 1 }));
    t.apply(2000, pairs({ a: 2, b: 1, c: 1 }));
    t.apply(3000, pairs({ a: 1, c: 2, e: 9 }));
    const d = t.diff({ kind: "diff", streamId: "s", fromBatchMs: 1000, toBatchMs: 3000 });
    expect(d.rows).toEqual([
      { key: "b", before: "1", after: undefined, change: "removed" },
      { key: "c", before: undefined, after: "2", change: "added" },
      { key: "e", before: undefined, after: "9", change: "added" },
    ]);
    expect(d.counts).toEqual({ added: 2, updated: 0, removed: 1, timedOut: 0 });
    expect(t.diff({ kind: "diff", streamId: "s", fromBatchMs: 2000, toBatchMs: 3000 }).rows.map((r) => [r.key, r.change])).toEqual([
      ["a", "updated"],
      ["b", "removed"],
      ["c", "updated"],
      ["e", "added"],
    ]);
  });

  it("refuses a diff from a batch it no longer retains, naming what it has", () => {
    const t = new StateTracker({ maxBatches: 2 });
    for (const time of [1000, 2000, 3000]) t.apply(time, pairs({ k: time }));
    expect(() => t.diff({ kind: "diff", streamId: "counts", fromBatchMs: 1000, toBatchMs: 3000 })).toThrow(
      'state of stream "counts": batch 1000 is not retained (retained: 2000 to 3000)',
    );
  });

  it("gives the top keys' numeric state over time, objects by their first numeric field", () => {
    const t = new StateTracker();
    t.apply(1000, pairs({ a: { total: 5, n: 1 }, b: { total: 1, n: 1 }, c: { total: 3, n: 1 } }));
    t.apply(2000, pairs({ a: { total: 5, n: 1 }, b: { total: 9, n: 2 }, c: { total: 3, n: 1 } }));
    const s = t.topSeries("s", 2);
    expect(s.keys).toEqual(["b", "a"]);
    expect(s.points).toEqual([
      { batchTimeMs: 1000, values: { a: 5, b: 1 } },
      { batchTimeMs: 2000, values: { a: 5, b: 9 } },
    ]);
  });

  it("pages a large state without handing it out whole", () => {
    const t = new StateTracker();
    const big = Array.from({ length: 100_000 }, (_, i) => [`key-${String(i).padStart(6, "0")}`, i] as [string, number]);
    t.apply(1000, big);
    const page = t.page({ kind: "page", streamId: "s", sort: "value", desc: true, offset: 10, limit: 10_000 });
    expect(page.rows).toHaveLength(500); // the page size is capped
    expect(page.rows[0]).toMatchObject({ key: "key-099989", value: "99989" });
    expect(page.total).toBe(100_000);
  });
});
