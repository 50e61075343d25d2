/**
 * What users run: the two fraud templates (engine/pipeline/samples.ts) compiled from their
 * documents, fed the same transaction lines as a hand-written loop of the same work, timed in the
 * same run. Prints records/s of each, the engine's share of the loop's rate (and of its CPU time), the engine's cost
 * per batch beyond the loop's, and the flag counts (which must agree). Also the cost of an empty
 * batch (partitions present, no records) through each template's graph.
 *
 * The third row is the mapWithState template with the article's list functions as user code: what
 * a user who writes them pays today for the user-function boundary; it runs at 1,000 records a
 * batch only unless named in REALISTIC_VARIANTS (at 100,000 it takes many minutes). `REALISTIC_SIZES=100000` (comma-separated
 * records per batch) and `REALISTIC_VARIANTS=mapWithState` (comma-separated names) narrow a run, e.g. for `node --cpu-prof --import tsx bench/index.ts realistic`.
 */
import type { BenchModule } from "./index";
import { fraudMapWithStateTemplate, fraudUpdateStateByKeyTemplate } from "../engine/pipeline/samples";
import type { PipelineDocument } from "../engine/pipeline/document";
import { fraudInput, type FraudInput } from "./realistic/input";
import { mapWithStateLoop, updateStateByKeyLoop, type FraudOutcome } from "./realistic/loops";
import { runTemplate } from "./realistic/engine";
import { withUserFunctionWindow } from "./realistic/userFunctions";

const BATCHES = 30;
const ACCOUNTS = 10_000;
const PARTITIONS = 2;

interface Variant {
  name: string;
  label: string;
  template: PipelineDocument;
  loop: (input: FraudInput) => FraudOutcome;
}
const VARIANTS: Variant[] = [
  { name: "updateStateByKey", label: "window + updateStateByKey + historic join", template: fraudUpdateStateByKeyTemplate, loop: updateStateByKeyLoop },
  { name: "mapWithState", label: "reduceByKeyAndWindow with inverse + mapWithState", template: fraudMapWithStateTemplate, loop: mapWithStateLoop },
  {
    name: "mapWithStateUserFunctions",
    label: "the same, list window as user functions (node:vm, watchdog per call)",
    template: withUserFunctionWindow(fraudMapWithStateTemplate),
    loop: mapWithStateLoop,
  },
];

const list = (env: string | undefined) => env?.split(",").map((s) => s.trim()).filter(Boolean);
const rate = (records: number, ms: number) => (records / ms) * 1000;
const k = (n: number) => `${(n / 1000).toFixed(0)} k`;
/** CPU time of the process (all threads: garbage collection, file writes), ms: steadier than wall time on a shared machine. */
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

async function run(): Promise<void> {
  const sizes = (list(process.env.REALISTIC_SIZES) ?? ["1000", "100000"]).map(Number);
  const variants = VARIANTS.filter((v) => list(process.env.REALISTIC_VARIANTS)?.includes(v.name) ?? true);
  console.log(`${BATCHES} batches of 5 s, ${ACCOUNTS.toLocaleString("en")} accounts, ${PARTITIONS} partitions, one core; the same lines feed both sides.`);
  console.log("engine = the template compiled from its document (checkpointing on, files in a temporary directory); loop = the same work by hand.\n");
  console.log("| pipeline | records/batch | engine | loop | engine / loop | engine / loop by CPU time | engine ms/batch beyond the loop | flags engine / loop | dead letters |");
  console.log("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
  for (const size of sizes) {
    const input = fraudInput(BATCHES, size, ACCOUNTS, PARTITIONS);
    for (const v of variants) {
      // Through node:vm with a watchdog per call, 100,000 records a batch take many minutes.
      if (v.name === "mapWithStateUserFunctions" && size > 1000 && !list(process.env.REALISTIC_VARIANTS)?.includes(v.name)) continue;
      // Warm both paths on a small input first, so that neither pays the JIT for the other.
      const warm = fraudInput(4, 1000, ACCOUNTS, PARTITIONS, 3);
      v.loop(warm);
      await runTemplate(v.template, warm);
      const c0 = cpuMs();
      const t0 = performance.now();
      const loop = v.loop(input);
      const loopMs = performance.now() - t0;
      const c1 = cpuMs();
      const engine = await runTemplate(v.template, input);
      const cpuRatio = (c1 - c0) / (cpuMs() - c1);
      const agree = engine.flags === loop.flags && engine.txIdSum === loop.txIdSum && engine.deadLetters === loop.deadLetters;
      const er = rate(input.records, engine.ms);
      const lr = rate(input.records, loopMs);
      console.log(
        `| ${v.label} | ${size.toLocaleString("en")} | ${k(er)} rec/s | ${k(lr)} rec/s | ${((er / lr) * 100).toFixed(0)} % | ${(cpuRatio * 100).toFixed(0)} % | ${((engine.ms - loopMs) / BATCHES).toFixed(2)} | ` +
          `${engine.flags} / ${loop.flags}${agree ? "" : " **DIFFER**"} | ${engine.deadLetters} |`,
      );
      if (!agree) console.log(`  outcomes differ: engine ${JSON.stringify(engine)}, loop ${JSON.stringify(loop)}`);
    }
  }
  console.log("\n| empty batches (2 partitions, no records) through the template's graph | ms/batch |");
  console.log("|---|---:|");
  const empty = fraudInput(BATCHES, 0, ACCOUNTS, PARTITIONS);
  for (const v of variants) {
    const r = await runTemplate(v.template, empty);
    console.log(`| ${v.label} | ${(r.ms / BATCHES).toFixed(3)} |`);
  }
}

const bench: BenchModule = { title: "Realistic: the fraud templates against a hand-written loop", run };
export default bench;
