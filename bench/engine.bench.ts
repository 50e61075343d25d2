/**
 * Engine I figures: records/s of map/filter/reduceByKey over large batches, the inverse
 * window's cost against window length (it should stay flat), and the engine's overhead per
 * empty batch through a 10-operator graph. Runs on a ManualClock, timing with performance.now().
 */
import type { BenchModule } from "./index";
import { ManualClock, Seconds, StreamingContext, type RDD } from "../engine/index";

function fmt(n: number): string {
  return n >= 1e6 ? `${(n / 1e6).toFixed(2)} M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)} k` : n.toFixed(2);
}

/** Runs `batches` batches of a graph built by `build`, returning the wall time per batch in ms. */
async function timeBatches(batches: number, warmup: number, build: (ssc: StreamingContext) => void, opts: { checkpoint?: boolean } = {}): Promise<number> {
  const clock = new ManualClock(0);
  const ssc = new StreamingContext(Seconds(1), { clock });
  if (opts.checkpoint) ssc.checkpoint("/tmp/engine-bench-unused");
  build(ssc);
  ssc.start();
  for (let i = 0; i < warmup; i++) {
    clock.advance(Seconds(1));
    await ssc.awaitBatchesDue();
  }
  const t0 = performance.now();
  for (let i = 0; i < batches; i++) {
    clock.advance(Seconds(1));
    await ssc.awaitBatchesDue();
  }
  const elapsed = performance.now() - t0;
  await ssc.stop();
  return elapsed / batches;
}

async function throughput(): Promise<void> {
  const n = 1_000_000;
  const keys = 1000;
  const data = Array.from({ length: n }, (_, i) => i);
  const cases: [string, (ssc: StreamingContext, q: RDD<number>[]) => void][] = [
    ["map", (ssc, q) => ssc.queueStream(q).map((x) => x + 1).foreachRDD((r) => void r.count())],
    ["filter", (ssc, q) => ssc.queueStream(q).filter((x) => (x & 1) === 0).foreachRDD((r) => void r.count())],
    [
      "map + reduceByKey (1000 keys)",
      (ssc, q) =>
        ssc
          .queueStream(q)
          .map((x) => [x % keys, 1] as [number, number])
          .reduceByKey((a, b) => a + b)
          .foreachRDD((r) => void r.count()),
    ],
    [
      "map + filter + reduceByKey (string keys)",
      (ssc, q) =>
        ssc
          .queueStream(q)
          .filter((x) => x % 10 !== 0)
          .map((x) => [`acct-${x % keys}`, x] as [string, number])
          .reduceByKey((a, b) => a + b)
          .foreachRDD((r) => void r.count()),
    ],
  ];
  console.log(`| operation over 1M-record batches (2 partitions) | ms/batch | records/s |`);
  console.log(`|---|---:|---:|`);
  for (const [name, build] of cases) {
    const batches = 5;
    const ms = await timeBatches(batches, 2, (ssc) => {
      const q = Array.from({ length: batches + 2 }, () => ssc.sc.makeRDD(data, 2));
      build(ssc, q);
    });
    console.log(`| ${name} | ${ms.toFixed(1)} | ${fmt((n / ms) * 1000)} |`);
  }
}

async function windows(): Promise<void> {
  const perBatch = 20_000;
  const keys = 500;
  console.log(`\n| window over ${fmt(perBatch)} records/batch, ${keys} keys, slide 1 s | ms/batch |`);
  console.log(`|---|---:|`);
  for (const inverse of [false, true]) {
    for (const w of [10, 30, 60]) {
      const warm = w + 2;
      const batches = 20;
      const ms = await timeBatches(
        batches,
        warm,
        (ssc) => {
          const q = Array.from({ length: warm + batches }, (_, b) =>
            ssc.sc.makeRDD(Array.from({ length: perBatch }, (_, i) => [(i + b) % keys, 1] as [number, number]), 2),
          );
          const pairs = ssc.queueStream(q);
          const out = inverse
            ? pairs.reduceByKeyAndWindow((a, b) => a + b, (a, b) => a - b, Seconds(w), Seconds(1))
            : pairs.reduceByKeyAndWindow((a, b) => a + b, Seconds(w), Seconds(1));
          out.foreachRDD((r) => void r.count());
        },
        { checkpoint: inverse },
      );
      console.log(`| reduceByKeyAndWindow ${inverse ? "with" : "without"} inverse, window ${w} s | ${ms.toFixed(2)} |`);
    }
  }
}

async function overhead(): Promise<void> {
  const batches = 2000;
  const ms = await timeBatches(batches, 200, (ssc) => {
    let s = ssc.queueStream<number>([]).map((x) => x + 1);
    s = s.filter((x) => x > 0).map((x) => x * 2).flatMap((x) => [x]);
    const pairs = s.map((x) => [x % 10, x] as [number, number]).mapValues((v) => v + 1).reduceByKey((a, b) => a + b);
    pairs.map((kv) => kv[1]).filter(() => true).foreachRDD((r) => void r.count());
  });
  console.log(`\n| engine overhead | ms/batch |`);
  console.log(`|---|---:|`);
  console.log(`| empty batch through a 10-operator graph (queue, 8 transformations, reduceByKey, foreachRDD) | ${ms.toFixed(3)} |`);
}

const bench: BenchModule = {
  title: "Engine I microbenchmarks: single operators on synthetic numbers (not a user's pipeline; see realistic)",
  async run() {
    await throughput();
    await windows();
    await overhead();
  },
};
export default bench;
