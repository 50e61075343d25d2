import type { StreamInputInfo } from "./events";
import type { Time } from "./Time";

/** Collects per-batch input facts reported by input streams (Spark's InputInfoTracker). */
export class InputInfoTracker {
  private readonly batches = new Map<number, Map<number, StreamInputInfo>>();

  reportInfo(batchTime: Time, info: StreamInputInfo): void {
    let forBatch = this.batches.get(batchTime.milliseconds);
    if (forBatch === undefined) this.batches.set(batchTime.milliseconds, (forBatch = new Map()));
    // A batch recomputed through slice after cleanup reports again; the latest report wins.
    forBatch.set(info.inputStreamId, info);
  }
  getInfo(batchTime: Time): StreamInputInfo[] {
    return [...(this.batches.get(batchTime.milliseconds)?.values() ?? [])];
  }
  /** Drops infos of batches strictly before `threshold`. */
  cleanup(threshold: Time): void {
    for (const t of this.batches.keys()) if (t < threshold.milliseconds) this.batches.delete(t);
  }
}
