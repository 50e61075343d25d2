import { describe, expect, it } from "vitest";
import { RenderThrottle } from "@/components/dashboard/live/throttle";
import { fakeTimers } from "./fakeTimers";

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
