/**
 * Runs a fraud template as a user runs it: the document compiled by `compilePipeline` (built-in
 * nodes, the template's own user functions, checkpointing on, in a temporary directory), with
 * its generator node swapped for a Kafka node whose stream replays the benchmark's lines.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { InputDStream, ManualClock, Milliseconds, RDD, type StreamingContext, type Time } from "../../engine/index";
import { compilePipeline } from "../../engine/pipeline/compile";
import type { PipelineDocument } from "../../engine/pipeline/document";
import { HISTORIC_AVERAGES_TABLE } from "../../engine/pipeline/samples";
import { addFlags, type FraudOutcome } from "./loops";
import { linesOf, type FraudInput } from "./input";

/** Batch k (from 0) of the stream is the input's batch k, in its partitions. */
class ReplayedLines extends InputDStream<string> {
  constructor(
    ssc: StreamingContext,
    private readonly input: FraudInput,
  ) {
    super(ssc);
  }
  compute(validTime: Time): RDD<string> {
    const k = (validTime.milliseconds - this.zeroTime!.milliseconds) / this.slideDuration.milliseconds - 1;
    const parts = (this.input.batches[k] ?? this.input.batches[0].map(() => "")).map(linesOf);
    let n = 0;
    for (const p of parts) n += p.length;
    this.ssc.scheduler.inputInfoTracker.reportInfo(validTime, { inputStreamId: this.inputId, streamId: this.id, numRecords: n, metadata: {} });
    return RDD.fromPartitions(this.ssc.sc, parts);
  }
}

/** The template with its source node replaced by a Kafka node (the product's other source). */
function withReplayedSource(template: PipelineDocument): PipelineDocument {
  return {
    ...template,
    nodes: template.nodes.map((n) => (n.id === "transactions" ? { ...n, kind: "kafka", config: {} } : n)),
  };
}

export interface EngineRun extends FraudOutcome {
  ms: number;
}

/** Compiles and runs `template` over every batch of `input`; the time spans the batches only. */
export async function runTemplate(template: PipelineDocument, input: FraudInput): Promise<EngineRun> {
  const outcome: FraudOutcome = { flags: 0, txIdSum: 0, deadLetters: 0 };
  const checkpointDir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-fraud-cp-"));
  const clock = new ManualClock(0);
  const rows = [...input.historic].map(([account_number, average_transaction]) => ({ account_number, average_transaction }));
  const { ssc } = compilePipeline(withReplayedSource(template), {
    clock,
    checkpointDir,
    readTable: (table) => (table === HISTORIC_AVERAGES_TABLE ? rows : []),
    kafka: { stream: (ctx) => new ReplayedLines(ctx, input) },
    sinks: {
      flags: (_nodeId, flags) => addFlags(outcome, flags),
      deadLetters: (_nodeId, records) => void (outcome.deadLetters += records.length),
    },
  });
  ssc.start();
  const t0 = performance.now();
  try {
    for (let i = 0; i < input.batches.length; i++) {
      clock.advance(Milliseconds(template.settings.batchIntervalMs));
      await ssc.awaitBatchesDue();
    }
    if (ssc.reportedError !== undefined) throw ssc.reportedError;
  } finally {
    await ssc.stop();
    fs.rmSync(checkpointDir, { recursive: true, force: true });
  }
  return { ...outcome, ms: performance.now() - t0 };
}
