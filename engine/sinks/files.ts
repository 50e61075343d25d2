import fs from "node:fs";
import path from "node:path";
import v8 from "node:v8";
import type { RDD } from "../rdd/RDD";
import type { Time } from "../streaming/Time";
import { formatRecord } from "./format";

/**
 * Spark's rddToFileName: `<prefix>-<timeMs>` plus `.<suffix>` when the suffix is non-empty;
 * the prefix part is dropped when the prefix is empty.
 */
export function rddToFileName(prefix: string | undefined, suffix: string | undefined, time: Time): string {
  let result = String(time.milliseconds);
  if (prefix) result = `${prefix}-${result}`;
  if (suffix) result = `${result}.${suffix}`;
  return result;
}

/** `part-00000`, `part-00001`, ... as Hadoop names output files. */
function partName(index: number): string {
  return `part-${String(index).padStart(5, "0")}`;
}

/**
 * Writes one directory per batch with a part file per partition and `_SUCCESS`, built in a
 * temporary directory and renamed into place so readers never see half a batch. An existing
 * directory is replaced (Spark disables output checks for streaming).
 */
async function writeBatchDirectory(dir: string, numPartitions: number, writePart: (file: string, index: number) => Promise<void>): Promise<void> {
  const tmp = `${dir}._temporary-${process.pid}-${Date.now()}`;
  await fs.promises.mkdir(tmp, { recursive: true });
  for (let i = 0; i < numPartitions; i++) await writePart(path.join(tmp, partName(i)), i);
  await fs.promises.writeFile(path.join(tmp, "_SUCCESS"), "");
  await fs.promises.rm(dir, { recursive: true, force: true });
  await fs.promises.rename(tmp, dir);
}

/** Saves each partition as text, one record per line (Scala toString style). */
export async function saveAsTextFile<T>(rdd: RDD<T>, dir: string): Promise<void> {
  await writeBatchDirectory(dir, rdd.numPartitions, async (file, i) => {
    const records = rdd.iterator(i);
    await fs.promises.writeFile(file, records.length === 0 ? "" : records.map(formatRecord).join("\n") + "\n");
  });
}

/** Saves each partition as a serialized array of records (v8 serialization). */
export async function saveAsObjectFile<T>(rdd: RDD<T>, dir: string): Promise<void> {
  await writeBatchDirectory(dir, rdd.numPartitions, async (file, i) => {
    await fs.promises.writeFile(file, v8.serialize(rdd.iterator(i)));
  });
}

/** Reads back the records of a directory written by `saveAsObjectFile`, partition by partition. */
export function readObjectFile<T>(dir: string): T[] {
  const parts = fs.readdirSync(dir).filter((f) => f.startsWith("part-")).sort();
  return parts.flatMap((f) => v8.deserialize(fs.readFileSync(path.join(dir, f))) as T[]);
}
