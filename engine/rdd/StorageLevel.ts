/**
 * Where and how a persisted RDD keeps its partitions (Spark's StorageLevel). This engine keeps
 * everything in memory: `useDisk` is recorded but not acted on; `deserialized = false` means a
 * serialized copy is kept (the streaming default MEMORY_ONLY_SER), `replication` is informational.
 */
export class StorageLevel {
  constructor(
    readonly name: string,
    readonly useDisk: boolean,
    readonly useMemory: boolean,
    readonly deserialized: boolean,
    readonly replication: number = 1,
  ) {}
  static readonly NONE = new StorageLevel("NONE", false, false, false);
  static readonly MEMORY_ONLY = new StorageLevel("MEMORY_ONLY", false, true, true);
  static readonly MEMORY_ONLY_2 = new StorageLevel("MEMORY_ONLY_2", false, true, true, 2);
  static readonly MEMORY_ONLY_SER = new StorageLevel("MEMORY_ONLY_SER", false, true, false);
  static readonly MEMORY_ONLY_SER_2 = new StorageLevel("MEMORY_ONLY_SER_2", false, true, false, 2);
  static readonly MEMORY_AND_DISK = new StorageLevel("MEMORY_AND_DISK", true, true, true);
  static readonly MEMORY_AND_DISK_SER = new StorageLevel("MEMORY_AND_DISK_SER", true, true, false);
  static readonly MEMORY_AND_DISK_SER_2 = new StorageLevel("MEMORY_AND_DISK_SER_2", true, true, false, 2);
  static readonly DISK_ONLY = new StorageLevel("DISK_ONLY", true, false, false);

  /** The same level keeping records as objects (MEMORY_ONLY_SER -> MEMORY_ONLY). */
  asDeserialized(): StorageLevel {
    if (this.deserialized || !this.isValid()) return this;
    return new StorageLevel(this.name.replace("_SER", ""), this.useDisk, this.useMemory, true, this.replication);
  }
  /** Whether this level keeps data at all. */
  isValid(): boolean {
    return this.useMemory || this.useDisk;
  }
  equals(that: StorageLevel): boolean {
    return (
      this.useDisk === that.useDisk &&
      this.useMemory === that.useMemory &&
      this.deserialized === that.deserialized &&
      this.replication === that.replication
    );
  }
  toString(): string {
    return `StorageLevel(${this.name})`;
  }
}
