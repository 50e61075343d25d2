import v8 from "node:v8";
import zlib from "node:zlib";
import { CHECKPOINT_FORMAT_VERSION } from "./Checkpoint";

/**
 * The checkpoint file layout: a fixed header, then the payload (v8's structured-clone bytes).
 *
 *   offset  size  field
 *   0       8     magic "DSCHKPT\n"
 *   8       4     format version (uint32 LE)
 *   12      8     payload length in bytes (uint64 LE)
 *   20      4     CRC-32 of the payload (uint32 LE)
 *   24      n     payload
 *
 * The length catches truncation, the checksum any other damage; both are checked before the
 * payload is decoded, so a damaged file gives a clear error instead of wrong state.
 */
const MAGIC = Buffer.from("DSCHKPT\n", "latin1");
export const HEADER_BYTES = 24;

/** Why a checkpoint file was refused, for reports that group or explain them. */
export type CheckpointDamage =
  | "empty" // a file of 0 bytes
  | "truncated" // shorter than its header says
  | "checksum" // the CRC-32 does not match: bytes were changed
  | "version" // a format version this engine does not read
  | "format" // not a checkpoint file at all, or extra bytes
  | "undecodable" // verified, yet the data cannot be decoded
  | "unreadable"; // the file system refused to read it

/** A checkpoint file that cannot be used; the message names the file and says why. */
export class CorruptCheckpointException extends Error {
  override name = "CorruptCheckpointException";
  constructor(
    readonly file: string,
    readonly reason: string,
    readonly kind: CheckpointDamage = "unreadable",
  ) {
    super(`Checkpoint file ${file} cannot be read: ${reason}`);
  }
}

/** Header + payload for `value`. */
export function encodeCheckpoint(value: unknown): Buffer {
  const payload = v8.serialize(value);
  const header = Buffer.alloc(HEADER_BYTES);
  MAGIC.copy(header, 0);
  header.writeUInt32LE(CHECKPOINT_FORMAT_VERSION, 8);
  header.writeBigUInt64LE(BigInt(payload.byteLength), 12);
  header.writeUInt32LE(zlib.crc32(payload), 20);
  return Buffer.concat([header, payload]);
}

/** Checks the header, length and checksum of `bytes` (read from `file`) and decodes the payload. */
export function decodeCheckpoint(bytes: Buffer, file: string): unknown {
  if (bytes.byteLength === 0) throw new CorruptCheckpointException(file, "empty: the file holds 0 bytes", "empty");
  if (bytes.byteLength < HEADER_BYTES) {
    throw new CorruptCheckpointException(
      file,
      `truncated: ${bytes.byteLength} bytes, shorter than the ${HEADER_BYTES}-byte header`,
      "truncated",
    );
  }
  if (!bytes.subarray(0, MAGIC.byteLength).equals(MAGIC))
    throw new CorruptCheckpointException(file, "not a checkpoint file (unknown header)", "format");
  const version = bytes.readUInt32LE(8);
  if (version > CHECKPOINT_FORMAT_VERSION || version < 1) {
    throw new CorruptCheckpointException(
      file,
      `written in checkpoint format version ${version}; this engine reads versions 1 to ${CHECKPOINT_FORMAT_VERSION}`,
      "version",
    );
  }
  const declared = Number(bytes.readBigUInt64LE(12));
  const actual = bytes.byteLength - HEADER_BYTES;
  if (actual < declared)
    throw new CorruptCheckpointException(
      file,
      `truncated: the header announces ${declared} bytes of data, the file holds ${actual}`,
      "truncated",
    );
  if (actual > declared)
    throw new CorruptCheckpointException(file, `${actual - declared} unexpected bytes after the data`, "format");
  const payload = bytes.subarray(HEADER_BYTES);
  if (zlib.crc32(payload) !== bytes.readUInt32LE(20))
    throw new CorruptCheckpointException(file, "checksum mismatch (the data is damaged)", "checksum");
  try {
    return v8.deserialize(payload);
  } catch (e) {
    throw new CorruptCheckpointException(
      file,
      `the data cannot be decoded (${e instanceof Error ? e.message : String(e)})`,
      "undecodable",
    );
  }
}
