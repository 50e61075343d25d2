import v8 from "node:v8";
import type { Serializer } from "./Serializer";

/** Node's structured-clone serializer: compact, handles Map/Set/Date/typed arrays. Node only. */
export const v8Serializer: Serializer = {
  serialize: (value) => v8.serialize(value),
  deserialize: <T>(bytes: Uint8Array) => v8.deserialize(bytes) as T,
};
