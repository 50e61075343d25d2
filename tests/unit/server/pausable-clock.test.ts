import { describe, expect, it } from "vitest";
import { PausableClock } from "@/server/runs/PausableClock";

/** A wall clock the test moves by hand, so that nothing here depends on real time. */
function fakeWall(start = 10_000) {
  let now = start;
  return { now: () => now, set: (t: number) => (now = t) };
}

describe("PausableClock", () => {
  it("follows the wall clock while running", () => {
    const wall = fakeWall();
    const clock = new PausableClock(wall.now);
    expect(clock.getTimeMillis()).toBe(10_000);
    wall.set(12_500);
    expect(clock.getTimeMillis()).toBe(12_500);
  });

  it("stands still while paused and resumes where it stood", () => {
    const wall = fakeWall();
    const clock = new PausableClock(wall.now);
    wall.set(11_000);
    clock.pause();
    wall.set(20_000);
    expect(clock.getTimeMillis()).toBe(11_000);
    clock.resume();
    expect(clock.getTimeMillis()).toBe(11_000);
    wall.set(20_400);
    expect(clock.getTimeMillis()).toBe(11_400);
  });

  it("runs due callbacks in time order when stepped, and nothing past the step", () => {
    const wall = fakeWall();
    const clock = new PausableClock(wall.now);
    const ran: number[] = [];
    clock.pause();
    clock.schedule(12_000, () => ran.push(12_000));
    clock.schedule(11_000, () => ran.push(11_000));
    const cancel = clock.schedule(11_500, () => ran.push(11_500));
    clock.schedule(13_000, () => ran.push(13_000));
    cancel();
    clock.stepTo(12_000);
    expect(ran).toEqual([11_000, 12_000]);
    expect(clock.getTimeMillis()).toBe(12_000);
    expect(() => {
      clock.resume();
      clock.stepTo(14_000);
    }).toThrow(/only while the run is paused/);
  });
});
