import type { StorageLevel } from "../StorageLevel";
import type { Serializer } from "./Serializer";

type Block = { readonly data: unknown[] } | { readonly bytes: Uint8Array };

/** True when every record can round-trip through a structured-clone serializer unchanged. */
function serializable(records: readonly unknown[]): boolean {
  // Sample the first record: class instances would lose their prototype, functions cannot be cloned.
  const r = records[0];
  if (r === null || typeof r !== "object") return typeof r !== "function" && typeof r !== "symbol";
  const proto = Object.getPrototypeOf(r);
  return proto === Object.prototype || proto === Array.prototype || proto === null;
}

/**
 * Keeps persisted partitions, keyed by RDD id and partition index. Serialized levels keep a
 * serialized copy (and hand out a fresh deserialized copy on each read), as Spark's
 * MEMORY_ONLY_SER does; records that cannot round-trip (class instances) are kept as objects.
 */
export class BlockManager {
  private readonly blocks = new Map<number, Map<number, Block>>();
  /** Bytes held by serialized blocks, for the dashboard and tests. */
  serializedBytes = 0;

  constructor(private readonly serializer: Serializer | undefined) {}

  get<T>(rddId: number, split: number): T[] | undefined {
    const block = this.blocks.get(rddId)?.get(split);
    if (block === undefined) return undefined;
    return "data" in block ? (block.data as T[]) : this.serializer!.deserialize<T[]>(block.bytes);
  }

  put(rddId: number, split: number, records: readonly unknown[], level: StorageLevel): void {
    let forRdd = this.blocks.get(rddId);
    if (forRdd === undefined) this.blocks.set(rddId, (forRdd = new Map()));
    if (!level.deserialized && this.serializer !== undefined && serializable(records)) {
      const bytes = this.serializer.serialize(records);
      this.serializedBytes += bytes.byteLength;
      forRdd.set(split, { bytes });
    } else {
      forRdd.set(split, { data: records as unknown[] });
    }
  }

  /** Whether a block is held in serialized form. */
  isSerialized(rddId: number, split: number): boolean {
    const block = this.blocks.get(rddId)?.get(split);
    return block !== undefined && "bytes" in block;
  }

  remove(rddId: number): void {
    const forRdd = this.blocks.get(rddId);
    if (forRdd === undefined) return;
    for (const b of forRdd.values()) if ("bytes" in b) this.serializedBytes -= b.bytes.byteLength;
    this.blocks.delete(rddId);
  }

  /** Ids of RDDs that hold at least one block (Spark's `getPersistentRDDs` keys). */
  persistedRddIds(): number[] {
    return [...this.blocks.keys()];
  }
}
