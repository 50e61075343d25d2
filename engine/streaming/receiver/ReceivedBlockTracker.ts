import type { ReceivedBlock } from "./Receiver";

/**
 * Holds one input stream's received blocks until a batch takes them (Spark's
 * ReceivedBlockTracker). At batch time t, every block whose arrival interval ends at or before t
 * is allocated to t; later blocks wait, and a block that arrives after its own batch was
 * allocated goes to the next batch (late, never lost).
 */
export class ReceivedBlockTracker<T> {
  private unallocated: ReceivedBlock<T>[] = [];
  private readonly allocated = new Map<number, ReceivedBlock<T>[]>();
  private lastAllocatedMs = -Infinity;

  constructor(private readonly batchMs: number) {}

  /** Adds records arriving at `arrivalMs`; appends to the open block when it is the same batch. */
  add(records: readonly T[], arrivalMs: number, metadata: Readonly<Record<string, unknown>> | undefined): void {
    // Batch intervals are (k*batch, (k+1)*batch] aligned: the zero time is a multiple of the batch.
    const batchEndMs = Math.max((Math.floor(arrivalMs / this.batchMs) + 1) * this.batchMs, this.lastAllocatedMs + this.batchMs);
    const last = this.unallocated[this.unallocated.length - 1];
    if (metadata === undefined && last !== undefined && last.metadata === undefined && last.batchEndMs === batchEndMs) {
      for (let i = 0; i < records.length; i++) last.records.push(records[i]);
    } else {
      this.unallocated.push({ batchEndMs, arrivalMs, records: records.slice(), metadata });
    }
  }

  /** Takes the blocks due at `batchMs` for that batch. */
  allocateBlocksToBatch(batchMs: number): void {
    const due: ReceivedBlock<T>[] = [];
    const rest: ReceivedBlock<T>[] = [];
    for (const b of this.unallocated) (b.batchEndMs <= batchMs ? due : rest).push(b);
    this.unallocated = rest;
    this.allocated.set(batchMs, due);
    this.lastAllocatedMs = Math.max(this.lastAllocatedMs, batchMs);
  }
  getBlocksOfBatch(batchMs: number): readonly ReceivedBlock<T>[] {
    return this.allocated.get(batchMs) ?? [];
  }
  /** Records received and not yet taken by a batch. */
  unallocatedRecords(): number {
    let n = 0;
    for (const b of this.unallocated) n += b.records.length;
    return n;
  }
  hasUnallocatedBlocks(): boolean {
    return this.unallocated.length > 0;
  }
  /** Drops allocations of batches strictly before `thresholdMs`. */
  cleanupOldBatches(thresholdMs: number): void {
    for (const t of this.allocated.keys()) if (t < thresholdMs) this.allocated.delete(t);
  }
}
