import type { Clock } from "../Clock";
import type { RateLimiter } from "./RateLimiter";

interface Held<T> {
  records: T[];
  readonly metadata: Readonly<Record<string, unknown>> | undefined;
}

/**
 * Lets a receiver's records into blocks at its limiter's rate, holding the rest in arrival order
 * until later batch intervals have room (in Spark the receiver's `store` blocks instead, leaving
 * the records in the source, e.g. the socket's buffer). Records let in late are stamped with the
 * time they were let in, so they join the batch of that moment, never an earlier one. How many
 * records are held is what "input waiting" shows, e.g. while a run is paused.
 */
export class ThrottledIntake<T> {
  private held: Held<T>[] = [];
  private heldCount = 0;
  private slotEndMs = -1;
  private slotCount = 0;
  private cancelRelease: (() => void) | undefined;

  constructor(
    private readonly limiter: RateLimiter,
    private readonly batchMs: number,
    private readonly clock: Clock,
    private readonly sink: (records: readonly T[], timeMs: number, metadata: Readonly<Record<string, unknown>> | undefined) => void,
  ) {}

  /** Records held back, waiting for room in a later batch. */
  get waiting(): number {
    return this.heldCount;
  }

  push(records: readonly T[], timeMs: number, metadata: Readonly<Record<string, unknown>> | undefined): void {
    if (records.length === 0) return;
    if (this.heldCount > 0) {
      // Keep arrival order: nothing overtakes records already waiting.
      this.hold(records.slice(), metadata);
      return;
    }
    const room = this.room(timeMs);
    if (room >= records.length) {
      this.admit(records, timeMs, metadata);
      return;
    }
    if (room > 0) this.admit(records.slice(0, room), timeMs, metadata);
    this.hold(records.slice(room), metadata);
  }

  /** Drops what is held (the receiver stopped). */
  clear(): void {
    this.cancelRelease?.();
    this.cancelRelease = undefined;
    this.held = [];
    this.heldCount = 0;
  }

  private slotEnd(timeMs: number): number {
    return (Math.floor(timeMs / this.batchMs) + 1) * this.batchMs;
  }

  private room(timeMs: number): number {
    const end = this.slotEnd(timeMs);
    if (end !== this.slotEndMs) {
      this.slotEndMs = end;
      this.slotCount = 0;
    }
    return Math.max(0, this.limiter.perBatch(this.batchMs) - this.slotCount);
  }

  private admit(records: readonly T[], timeMs: number, metadata: Readonly<Record<string, unknown>> | undefined): void {
    this.slotCount += records.length;
    this.sink(records, timeMs, metadata);
  }

  private hold(records: T[], metadata: Readonly<Record<string, unknown>> | undefined): void {
    this.held.push({ records, metadata });
    this.heldCount += records.length;
    this.scheduleRelease();
  }

  /** At the start of the next batch interval, let in as many held records as it has room for. */
  private scheduleRelease(): void {
    if (this.cancelRelease !== undefined) return;
    const at = this.slotEnd(this.clock.getTimeMillis());
    this.cancelRelease = this.clock.schedule(at, () => {
      this.cancelRelease = undefined;
      this.release(at);
    });
  }

  private release(nowMs: number): void {
    let room = this.room(nowMs);
    while (room > 0 && this.held.length > 0) {
      const first = this.held[0];
      if (first.records.length <= room) {
        this.held.shift();
        this.heldCount -= first.records.length;
        room -= first.records.length;
        this.admit(first.records, nowMs, first.metadata);
      } else {
        const part = first.records.splice(0, room);
        this.heldCount -= part.length;
        room = 0;
        this.admit(part, nowMs, first.metadata);
      }
    }
    if (this.heldCount > 0) this.scheduleRelease();
  }
}
