/**
 * `npm run bench -- spark`: the two fraud templates on our engine and on Spark local[2] through the
 * runner, in one run, with the same transaction lines (bench/realistic/input.ts) at 1,000 and
 * 100,000 records a batch. Our engine replays the lines as a source (bench/realistic/engine.ts);
 * the runner gets them as a queue node in place of the generator, all four runs in one runner JVM
 * (`--documents`). Spark's figure is the sum of its batches' processing times (Spark's own
 * "processing time", from the listener), so the JVM's and the SparkContext's start are left out.
 * The flags of both must agree (count and the sum of their transaction ids).
 *
 * `SPARK_BENCH_BATCHES` (default 6), `SPARK_BENCH_SIZES` (default 1000,100000) and
 * `SPARK_BENCH_VARIANTS` (updateStateByKey,mapWithState) narrow a run.
 */
import type { BenchModule } from "./index";
import { fraudMapWithStateTemplate, fraudUpdateStateByKeyTemplate, HISTORIC_AVERAGES_TABLE } from "../engine/pipeline/samples";
import type { PipelineDocument } from "../engine/pipeline/document";
import type { FraudFlag } from "../engine/pipeline/fraud/flags";
import { fraudInput, linesOf, type FraudInput } from "./realistic/input";
import { runTemplate } from "./realistic/engine";
import { addFlags, type FraudOutcome } from "./realistic/loops";
import { runManyOnSpark, type SparkLine, type SparkOutputLine } from "../server/spark/runner";

const ACCOUNTS = 10_000;
const PARTITIONS = 2;
const VARIANTS = [
  { name: "updateStateByKey", label: "window + updateStateByKey + historic join", template: fraudUpdateStateByKeyTemplate },
  { name: "mapWithState", label: "listByKeyAndWindow (inverse) + mapWithState", template: fraudMapWithStateTemplate },
];

const list = (env: string | undefined) => env?.split(",").map((s) => s.trim()).filter(Boolean);
const k = (n: number) => `${(n / 1000).toFixed(n < 10_000 ? 1 : 0)} k`;

/** The template with its generator swapped for a queue of the input's lines, batch for batch. */
function withQueuedLines(template: PipelineDocument, input: FraudInput): PipelineDocument {
  const batches = input.batches.map((parts) => parts.flatMap(linesOf));
  return {
    ...template,
    nodes: template.nodes.map((n) => (n.id === "transactions" ? { ...n, kind: "queue", config: { batches, oneAtATime: true } } : n)),
  };
}

interface SparkFigures extends FraudOutcome {
  processingMs: number;
  perBatchMs: number[];
}

function sparkFigures(lines: readonly SparkLine[]): SparkFigures {
  const outcome: SparkFigures = { flags: 0, txIdSum: 0, deadLetters: 0, processingMs: 0, perBatchMs: [] };
  for (const line of lines) {
    if (line.type === "batchCompleted") {
      const ms = (line as { processingTimeMs: number }).processingTimeMs;
      outcome.processingMs += ms;
      outcome.perBatchMs.push(ms);
    } else if (line.type === "output") {
      const o = line as SparkOutputLine;
      if (o.kind === "fraudFlags") addFlags(outcome, o.records as FraudFlag[]);
      else if (o.kind === "deadLetters") outcome.deadLetters += o.records.length;
    }
  }
  return outcome;
}

async function run(): Promise<void> {
  const numBatches = Number(process.env.SPARK_BENCH_BATCHES ?? 6);
  const sizes = (list(process.env.SPARK_BENCH_SIZES) ?? ["1000", "100000"]).map(Number);
  console.log(`${numBatches} batches of 5 s, ${ACCOUNTS.toLocaleString("en")} accounts, ${PARTITIONS} partitions; the same lines feed both engines.`);
  console.log("engine = our engine, one core (batches only); Spark = local[2] through the runner, the sum of Spark's processing times (JVM start excluded).\n");

  const inputs = sizes.map((size) => ({ size, input: fraudInput(numBatches, size, ACCOUNTS, PARTITIONS) }));
  const rows = (input: FraudInput) => [...input.historic].map(([account_number, average_transaction]) => ({ account_number, average_transaction }));
  const variants = VARIANTS.filter((v) => list(process.env.SPARK_BENCH_VARIANTS)?.includes(v.name) ?? true);
  const cases = inputs.flatMap(({ size, input }) => variants.map((v) => ({ size, input, v })));

  // Spark: a warm-up document first (JIT, GraalJS, Spark's first jobs), then every case, in one JVM.
  const warm = fraudInput(2, 1000, ACCOUNTS, PARTITIONS, 3);
  const jobs = [
    { document: withQueuedLines(fraudUpdateStateByKeyTemplate, warm), batches: 2, tables: { [HISTORIC_AVERAGES_TABLE]: rows(warm) } },
    ...cases.map(({ input, v }) => ({ document: withQueuedLines(v.template, input), batches: numBatches, tables: { [HISTORIC_AVERAGES_TABLE]: rows(input) } })),
  ];
  const started = performance.now();
  // A window batch of 200,000 records through the runner takes minutes on a loaded machine.
  const spark = await runManyOnSpark(jobs, { batchTimeoutMs: 900_000 });
  const sparkWallS = (performance.now() - started) / 1000;
  if (spark.exitCode !== 0) throw new Error(`the runner failed (exit ${spark.exitCode}): ${spark.log.slice(-3000)}`);

  console.log("| pipeline | records/batch | engine | Spark local[2] | Spark ms/batch (median) | flags engine / Spark | dead letters |");
  console.log("|---|---:|---:|---:|---:|---:|---:|");
  for (const [i, { size, input, v }] of cases.entries()) {
    await runTemplate(v.template, fraudInput(2, 1000, ACCOUNTS, PARTITIONS, 3));
    const engine = await runTemplate(v.template, input);
    const result = spark.results[i + 1];
    const failed = result.refusal ?? result.lines.find((l) => l.type === "error");
    if (failed) {
      console.log(`| ${v.label} | ${size.toLocaleString("en")} | Spark failed: ${JSON.stringify(failed).slice(0, 300)} |`);
      continue;
    }
    const s = sparkFigures(result.lines);
    const median = [...s.perBatchMs].sort((a, b) => a - b)[Math.floor(s.perBatchMs.length / 2)];
    const agree = engine.flags === s.flags && engine.txIdSum === s.txIdSum && engine.deadLetters === s.deadLetters;
    console.log(
      `| ${v.label} | ${size.toLocaleString("en")} | ${k((input.records / engine.ms) * 1000)} rec/s | ${k((input.records / s.processingMs) * 1000)} rec/s | ${median} | ` +
        `${engine.flags} / ${s.flags}${agree ? "" : " **DIFFER**"} | ${engine.deadLetters} / ${s.deadLetters} |`,
    );
    if (!agree) console.log(`  outcomes differ: engine ${JSON.stringify(engine)}, Spark ${JSON.stringify({ ...s, perBatchMs: undefined })}`);
  }
  console.log(`\nThe runner's JVM, all ${jobs.length} documents (queues of the lines, parsed from JSON) and Spark's start: ${sparkWallS.toFixed(0)} s wall.`);
}

const bench: BenchModule = { title: "Spark: the fraud templates on our engine and on Spark local[2] through the runner", run };
export default bench;
