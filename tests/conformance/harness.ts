/**
 * A port of Spark's TestSuiteBase: golden batch sequences on a manual clock. 1 s batches,
 * 2 input partitions, a checkpoint directory always set, `numBatches = expected.length`
 * unless given, outputs compared per batch as sets or lists, exact number of output batches.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "vitest";
import {
  InputDStream,
  ManualClock,
  Seconds,
  StreamingContext,
  type DStream,
  type RDD,
  type Time,
} from "../../engine/index";
import { canonical } from "../../engine/rdd/keys";

export const batchDuration = Seconds(1);
export const numInputPartitions = 2;

/** Spark's TestInputStream: batch at time t reads input[(t - zero)/slide - 1]; past the end, empty; null, no RDD. */
export class TestInputStream<T> extends InputDStream<T> {
  constructor(
    ssc: StreamingContext,
    private readonly input: readonly (readonly T[] | null)[],
    private readonly numPartitions: number,
  ) {
    super(ssc);
  }
  compute(validTime: Time): RDD<T> | undefined {
    const index = (validTime.milliseconds - this.zeroTime!.milliseconds) / this.slideDuration.milliseconds - 1;
    const selected = index < this.input.length ? this.input[index] : [];
    if (selected === null) return undefined;
    return this.ssc.sparkContext.makeRDD(selected, this.numPartitions);
  }
}

/** Collects each batch's partitions (Spark's TestOutputStreamWithPartitions). */
export function collectOutput<T>(stream: DStream<T>): T[][][] {
  const output: T[][][] = [];
  stream.foreachRDD((rdd) => {
    output.push(rdd.glom().collect());
  });
  return output;
}

/** A fresh checkpoint directory per context (test files run in parallel), removed after the run. */
export function tempCheckpointDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), "dstream-conformance-"));
}

export function newContext(): { ssc: StreamingContext; clock: ManualClock } {
  const clock = new ManualClock(0);
  const ssc = new StreamingContext(batchDuration, { clock, defaultParallelism: numInputPartitions });
  ssc.checkpoint(tempCheckpointDir());
  return { ssc, clock };
}

/** Starts, advances the clock `numBatches` batches, waits for them, stops; rethrows a reported error. */
export async function runStreams<T>(ssc: StreamingContext, clock: ManualClock, output: T[][][], numBatches: number, numExpectedOutput: number): Promise<T[][][]> {
  try {
    ssc.start();
    clock.advance(batchDuration.times(numBatches));
    await ssc.awaitBatchesDue();
    if (ssc.reportedError !== undefined) throw ssc.reportedError;
    expect(output.length, "Unexpected number of outputs generated").toBe(numExpectedOutput);
    return output;
  } finally {
    await ssc.stop();
    if (ssc.checkpointDir?.includes("dstream-conformance-")) rmSync(ssc.checkpointDir, { recursive: true, force: true });
  }
}

export interface TestOptions {
  readonly numBatches?: number;
  readonly useSet?: boolean;
  readonly numPartitions?: number;
}

function key(x: unknown): string {
  return canonical(x);
}

/** Compares batch by batch: as sets (duplicates collapse) or as ordered lists. */
export function verifyOutput(output: readonly (readonly unknown[])[], expected: readonly (readonly unknown[])[], useSet: boolean): void {
  expect(output.length).toBe(expected.length);
  output.forEach((batch, i) => {
    if (useSet) {
      expect([...new Set(batch.map(key))].sort(), `batch ${i}`).toEqual([...new Set(expected[i].map(key))].sort());
    } else {
      expect(batch.map(key), `batch ${i}`).toEqual(expected[i].map(key));
    }
  });
}

/** Spark's testOperation with one input stream. */
export async function testOperation<T, U>(
  input: readonly (readonly T[] | null)[],
  operation: (s: DStream<T>) => DStream<U>,
  expected: readonly (readonly unknown[])[],
  options: TestOptions = {},
): Promise<void> {
  const { ssc, clock } = newContext();
  const stream = new TestInputStream(ssc, input, options.numPartitions ?? numInputPartitions);
  const output = collectOutput(operation(stream));
  const result = await runStreams(ssc, clock, output, options.numBatches ?? expected.length, expected.length);
  verifyOutput(result.map((parts) => parts.flat()), expected, options.useSet ?? false);
}

/** Spark's testOperation with two input streams. */
export async function testOperation2<T1, T2, U>(
  input1: readonly (readonly T1[] | null)[],
  input2: readonly (readonly T2[] | null)[],
  operation: (a: DStream<T1>, b: DStream<T2>) => DStream<U>,
  expected: readonly (readonly unknown[])[],
  options: TestOptions = {},
): Promise<void> {
  const { ssc, clock } = newContext();
  const a = new TestInputStream(ssc, input1, numInputPartitions);
  const b = new TestInputStream(ssc, input2, numInputPartitions);
  const output = collectOutput(operation(a, b));
  const result = await runStreams(ssc, clock, output, options.numBatches ?? expected.length, expected.length);
  verifyOutput(result.map((parts) => parts.flat()), expected, options.useSet ?? false);
}

/** `from..to` inclusive, as Scala's `from to to`. */
export function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/**
 * Spark's DStreamCheckpointTester.testCheckpointedOperation: run the first
 * `numBatchesBeforeRestart` batches with checkpoints, stop, rebuild the context with
 * `StreamingContext.getOrCreate` from the checkpoint directory (the same builder, as recovery
 * requires here), run the remaining batches and compare both parts with `expected` (as sets).
 */
export async function testCheckpointedOperation<T, U>(
  input: readonly (readonly T[] | null)[],
  operation: (s: DStream<T>) => DStream<U>,
  expected: readonly (readonly unknown[])[],
  numBatchesBeforeRestart: number,
): Promise<void> {
  const dir = tempCheckpointDir();
  const build = (clock: ManualClock): { ssc: StreamingContext; output: U[][][] } => {
    const ssc = new StreamingContext(batchDuration, { clock, defaultParallelism: numInputPartitions });
    ssc.checkpoint(dir);
    const output = collectOutput(operation(new TestInputStream(ssc, input, numInputPartitions)));
    return { ssc, output };
  };
  const advance = async (ssc: StreamingContext, clock: ManualClock, n: number): Promise<void> => {
    ssc.start();
    for (let i = 0; i < n; i++) {
      clock.advance(batchDuration);
      await ssc.awaitBatchesDue();
    }
    if (ssc.reportedError !== undefined) throw ssc.reportedError;
    await ssc.stop();
  };
  try {
    const clock1 = new ManualClock(0);
    const first = build(clock1);
    await advance(first.ssc, clock1, numBatchesBeforeRestart);
    verifyOutput(first.output.map((p) => p.flat()), expected.slice(0, numBatchesBeforeRestart), true);

    const clock2 = new ManualClock(clock1.getTimeMillis());
    let output: U[][][] = [];
    const ssc = StreamingContext.getOrCreate(dir, () => {
      const b = build(clock2);
      output = b.output;
      return b.ssc;
    });
    expect(ssc.restoredFrom, "the context should have been restored from a checkpoint").toBeDefined();
    await advance(ssc, clock2, expected.length - numBatchesBeforeRestart);
    verifyOutput(output.map((p) => p.flat()), expected.slice(numBatchesBeforeRestart), true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
