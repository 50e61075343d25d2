import { describe, expect, it } from "vitest";
import { RenderThrottle, type Timers } from "@/components/dashboard/live/throttle";

/** A hand-driven clock: time moves only when the test says so. */
function fakeTimers() {
  let now = 0;
  const queue: { at: number; fn: () => void; id: number }[] = [];
  let nextId = 1;
  const timers: Timers = {
    now: () => now,
    setTimeout: (fn, ms) => {
      const id = nextId++;
      queue.push({ at: now + ms, fn, id });
      return id;
    },
    clearTimeout: (id) => {
      const i = queue.findIndex((q) => q.id === id);
      if (i >= 0) queue.splice(i, 1);
    },
  };
  const advance = (ms: number) => {
    const until = now + ms;
    for (;;) {
      queue.sort((a, b) => a.at - b.at);
      const next = queue[0];
      if (!next || next.at > until) break;
      queue.shift();
      now = next.at;
      next.fn();
    }
    now = until;
  };
  return { timers, advance };
}

describe("RenderThrottle", () => {
  it("renders at most once per interval however many changes arrive, and always renders the last", () => {
    const { timers, advance } = fakeTimers();
    let renders = 0;
    const t = new RenderThrottle(() => renders++, 100, timers);
    // 1,000 changes spread over one simulated second: 10 renders at most, plus the leading one.
    for (let i = 0; i < 1000; i++) {
      t.schedule();
      advance(1);
    }
    advance(200);
    expect(renders).toBeGreaterThanOrEqual(10);
    expect(renders).toBeLessThanOrEqual(11);
  });

  it("renders a change after a quiet spell at once", () => {
    const { timers, advance } = fakeTimers();
    let renders = 0;
    const t = new RenderThrottle(() => renders++, 100, timers);
    t.schedule();
    expect(renders).toBe(1);
    advance(500);
    t.schedule();
    expect(renders).toBe(2);
  });

  it("drops a pending render when cancelled", () => {
    const { timers, advance } = fakeTimers();
    let renders = 0;
    const t = new RenderThrottle(() => renders++, 100, timers);
    t.schedule();
    t.schedule();
    t.cancel();
    advance(1000);
    expect(renders).toBe(1);
  });
});
