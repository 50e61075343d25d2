/** Turns partitions into bytes and back, for serialized storage levels. */
export interface Serializer {
  serialize(value: unknown): Uint8Array;
  deserialize<T>(bytes: Uint8Array): T;
}
