// Same results on two engines: every template and documents covering the node kinds the Spark
// runner translates run on our engine (manual clock) and on Spark local[2] through the runner
// (Spark's ManualClock), with the same deterministic input (queue or the transaction generator);
// every output's batches must match as multisets, with the same batch times and count.
import { beforeAll, describe, expect, it } from "vitest";
import type { PipelineDocument } from "@/engine/pipeline/document";
import { templates, historicAverageRows, HISTORIC_AVERAGES_TABLE } from "@/engine/pipeline/samples";
import { buildRunner } from "@/scripts/spark/build.mjs";
import { runOnSpark, SparkRefusal } from "@/server/spark/runner";
import { doc, type N } from "../unit/pipeline/harness";
import { asMultisets, errorsAsMultiset, runOnEngine, runOnSparkLocal, type Tables } from "./helpers/sparkCompare";

const tables: Tables = { [HISTORIC_AVERAGES_TABLE]: historicAverageRows(), prices: [{ sku: "a", price: 2 }, { sku: "b", price: 5 }] };
const cp = { checkpointing: { enabled: true } };
const capture = (id: string): N => [id, "deadLetters"];

const words: N = ["words", "queue", { batches: [["a b a", "c"], ["b b"], [], ["a c c a"], ["d"], ["a"]], oneAtATime: true }];
const numbers: N = ["numbers", "queue", { batches: [[1, 2, 3], [4, 5], [6], [], [7, 8, 9, 10], [11]], oneAtATime: true }];

/** Documents with their batch counts, by name. */
const cases: Record<string, { document: PipelineDocument; batches: number }> = {
  "template: streaming basics": { document: templates.streamingBasics, batches: 12 },
  "template: window explorer": { document: templates.windowExplorer, batches: 12 },
  "template: transactions per account": { document: templates.transactions, batches: 14 },
  "template: fraud (updateStateByKey)": { document: templates.fraudUpdateStateByKey, batches: 56 },
  "template: fraud (mapWithState)": { document: templates.fraudMapWithState, batches: 56 },
  "word count: flatMap, mapToPair, reduceByKey, groupByKey, countByKey, keyBy, filter, union, count, countByValue": {
    document: doc(
      [words, ["split", "flatMap", { fn: "(line) => String(line).split(' ')" }], ["pairs", "mapToPair", { fn: "(w) => [w, 1]" }],
        ["sum", "reduceByKey", { fn: "(a, b) => a + b" }], ["groups", "groupByKey"], ["byKey", "countByKey"], ["notA", "filter", { fn: "(w) => w !== 'a'" }],
        ["both", "union"], ["n", "count"], ["values", "countByValue"], ["keyed", "keyBy", { field: "length" }],
        capture("cSum"), capture("cGroups"), capture("cByKey"), capture("cUnion"), ["printN", "print", { num: 10 }], capture("cValues"), capture("cKeyed")],
      [["words", "split"], ["split", "pairs"], ["pairs", "sum"], ["pairs", "groups"], ["pairs", "byKey"], ["split", "notA"],
        ["notA", "both", "out", "left"], ["words", "both", "out", "right"], ["split", "n"], ["split", "values"], ["words", "keyed"],
        ["sum", "cSum"], ["groups", "cGroups"], ["byKey", "cByKey"], ["both", "cUnion"], ["n", "printN"], ["values", "cValues"], ["keyed", "cKeyed"]],
    ),
    batches: 7,
  },
  "maps: map (pairs), mapValues, flatMapValues, reduce, transform, repartition, aggregate, thresholdFilter, chartTap": {
    document: doc(
      [numbers, ["kv", "map", { fn: "(x) => [x % 3, x]", pairs: true }], ["double", "mapValues", { fn: "(v) => v * 2" }], ["spread", "flatMapValues", { fn: "(v) => [v, -v]" }],
        ["total", "reduce", { fn: "(a, b) => a + b" }], ["sorted", "transform", { fn: "(records) => [...records].sort((a, b) => b - a).slice(0, 2)" }],
        ["spreadOut", "repartition", { numPartitions: 3 }], ["avg", "aggregate", { op: "average", field: "" }], ["max", "aggregate", { op: "max", field: "" }],
        ["objects", "map", { fn: "(x) => ({ amount: x * 100 })" }], ["big", "thresholdFilter", { field: "amount", op: ">=", threshold: 500 }],
        ["chart", "chartTap", { label: "v", valueField: "amount" }],
        capture("cDouble"), capture("cSpread"), capture("cTotal"), capture("cSorted"), capture("cAvg"), capture("cMax"), capture("cBig")],
      [["numbers", "kv"], ["kv", "double"], ["kv", "spread"], ["numbers", "total"], ["numbers", "sorted"], ["spread", "spreadOut"], ["kv", "avg"], ["kv", "max"],
        ["numbers", "objects"], ["objects", "big"], ["objects", "chart"],
        ["double", "cDouble"], ["spreadOut", "cSpread"], ["total", "cTotal"], ["sorted", "cSorted"], ["avg", "cAvg"], ["max", "cMax"], ["big", "cBig"]],
    ),
    batches: 7,
  },
  "windows: window, countByWindow, reduceByWindow, countByValueAndWindow, groupByKeyAndWindow, reduceByKeyAndWindow with and without inverse": {
    document: doc(
      [numbers, ["w", "window", { windowMs: 3000, slideMs: 1000 }], ["cw", "countByWindow", { windowMs: 3000, slideMs: 1000 }],
        ["rw", "reduceByWindow", { fn: "(a, b) => a + b", windowMs: 2000, slideMs: 2000 }], ["cvw", "countByValueAndWindow", { windowMs: 4000, slideMs: 2000 }],
        ["kv", "mapToPair", { fn: "(x) => [x % 2 === 0 ? 'even' : 'odd', x]" }], ["gw", "groupByKeyAndWindow", { windowMs: 3000, slideMs: 1000 }],
        ["rkw", "reduceByKeyAndWindow", { fn: "(a, b) => a + b", windowMs: 3000, slideMs: 1000 }],
        ["rkwInv", "reduceByKeyAndWindow", { fn: "(a, b) => a + b", inverseFn: "(a, b) => a - b", windowMs: 4000, slideMs: 2000 }],
        capture("cW"), capture("cCw"), capture("cRw"), capture("cCvw"), capture("cGw"), capture("cRkw"), capture("cRkwInv")],
      [["numbers", "w"], ["numbers", "cw"], ["numbers", "rw"], ["numbers", "cvw"], ["numbers", "kv"], ["kv", "gw"], ["kv", "rkw"], ["kv", "rkwInv"],
        ["w", "cW"], ["cw", "cCw"], ["rw", "cRw"], ["cvw", "cCvw"], ["gw", "cGw"], ["rkw", "cRkw"], ["rkwInv", "cRkwInv"]],
      cp,
    ),
    batches: 10,
  },
  "state: updateStateByKey, mapWithState with timeout and snapshots": {
    document: doc(
      [words, ["split", "flatMap", { fn: "(line) => String(line).split(' ')" }], ["pairs", "mapToPair", { fn: "(w) => [w, 1]" }],
        ["running", "updateStateByKey", { fn: "(values, state) => (state ?? 0) + values.length" }],
        ["seen", "mapWithState", { fn: "(key, value, state) => { if (state.isTimingOut()) return [key, 'timed out']; const n = (state.exists() ? state.get() : 0) + 1; state.update(n); return [key, n]; }", timeoutMs: 2000 }],
        capture("cRunning"), capture("cSeen"), capture("cSnapshots")],
      [["words", "split"], ["split", "pairs"], ["pairs", "running"], ["pairs", "seen"], ["running", "cRunning"], ["seen", "cSeen"], ["seen", "cSnapshots", "snapshots"]],
      cp,
    ),
    batches: 9,
  },
  "joins: join, leftOuterJoin, rightOuterJoin, fullOuterJoin, cogroup, lookupJoin (outer, read every batch)": {
    document: doc(
      [["orders", "queue", { batches: [[["a", 1], ["b", 2], ["c", 3]], [["a", 4]], [], [["z", 9], ["b", 1]]], oneAtATime: true }],
        ["skus", "queue", { batches: [[["a", "apple"], ["b", "banana"]], [["b", "berry"]], [["a", "avocado"]], [["b", "blueberry"]]], oneAtATime: true }],
        ["ordersKv", "mapToPair", { fn: "(kv) => kv" }], ["skusKv", "mapToPair", { fn: "(kv) => kv" }],
        ["j", "join"], ["lo", "leftOuterJoin"], ["ro", "rightOuterJoin"], ["fo", "fullOuterJoin"], ["cg", "cogroup"],
        ["price", "lookupJoin", { table: "prices", keyField: "sku", valueField: "price", outer: true, once: false }],
        capture("cJ"), capture("cLo"), capture("cRo"), capture("cFo"), capture("cCg"), capture("cPrice")],
      [["orders", "ordersKv"], ["skus", "skusKv"], ["ordersKv", "j", "out", "left"], ["skusKv", "j", "out", "right"], ["ordersKv", "lo", "out", "left"], ["skusKv", "lo", "out", "right"],
        ["ordersKv", "ro", "out", "left"], ["skusKv", "ro", "out", "right"], ["ordersKv", "fo", "out", "left"], ["skusKv", "fo", "out", "right"],
        ["ordersKv", "cg", "out", "left"], ["skusKv", "cg", "out", "right"], ["ordersKv", "price"],
        ["j", "cJ"], ["lo", "cLo"], ["ro", "cRo"], ["fo", "cFo"], ["cg", "cCg"], ["price", "cPrice"]],
    ),
    batches: 5,
  },
  "errors: a throwing user function sends its records to the node errors; parse dead letters": {
    document: doc(
      [["lines", "queue", { batches: [["0,01/15/2024,123-ABC-789,10.34,Drug Store", "garbage", "7,13/45/2024,987-CBA-321,4322.33,Misc"], ["8,01/15/2024,123-ABC-789,abc,Drug Store", "9,02/29/2024,987-CBA-321,4322.33,Misc, with comma"]], oneAtATime: true }],
        ["parse", "parseTransactions"], ["risky", "map", { fn: "(tx) => { if (tx.amount > 4000) throw new Error('too big: ' + tx.id); return tx.amount; }" }],
        capture("dead"), capture("cRisky"), capture("cParsed")],
      [["lines", "parse"], ["parse", "dead", "deadLetter"], ["parse", "risky"], ["risky", "cRisky"], ["parse", "cParsed"]],
    ),
    batches: 3,
  },
};

describe("the same pipeline on our engine and on Spark local[2]", () => {
  beforeAll(() => {
    buildRunner({ quiet: true });
  }, 900_000);

  for (const [name, { document, batches }] of Object.entries(cases)) {
    it(name, async () => {
      const engine = await runOnEngine(document, batches, tables);
      const spark = await runOnSparkLocal(document, batches, tables);
      const expected = asMultisets(engine.outputs);
      // Every output of the document wrote something, so that the comparison is not vacuous.
      expect(Object.keys(expected).length).toBeGreaterThan(0);
      expect(asMultisets(spark.outputs)).toEqual(expected);
      expect(errorsAsMultiset(spark.errors)).toEqual(errorsAsMultiset(engine.errors));
      // The batch events: one batchCompleted per batch, at the engine's batch times.
      const completed = spark.lines.filter((l) => l.type === "batchCompleted").map((l) => (l as { batchTimeMs: number }).batchTimeMs);
      expect(completed).toEqual(Array.from({ length: batches }, (_, i) => (i + 1) * document.settings.batchIntervalMs));
    }, 600_000);
  }

  it("user functions on Spark see ECMAScript's globals only: no Java, no GraalJS shell built-ins", async () => {
    const probe = "(x) => [typeof Java, typeof Polyglot, typeof Graal, typeof load, typeof print, typeof quit, typeof read, typeof require, typeof process]";
    const d = doc(
      [["q", "queue", { batches: [[1]] }], ["java", "map", { fn: "(x) => Java.type('java.lang.System').getenv('HOME')" }], ["probe", "map", { fn: probe }], capture("cJava"), capture("cProbe")],
      [["q", "java"], ["q", "probe"], ["java", "cJava"], ["probe", "cProbe"]],
    );
    const spark = await runOnSparkLocal(d, 1);
    expect(spark.outputs.get("deadLetters:cProbe")?.get(1000)).toEqual([Array(9).fill("undefined")]);
    expect(spark.outputs.get("deadLetters:cJava")?.get(1000)).toEqual([]);
    expect(spark.errors).toEqual([{ nodeId: "java", field: "fn", message: "Java is not defined", record: 1 }]);
  }, 600_000);

  it("a node the runner cannot translate is refused before Spark starts, with the node named", async () => {
    const d = doc([["src", "kafka"], ["out", "print"]], [["src", "out"]]);
    const refused = await runOnSpark({ document: d, batches: 1 }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(SparkRefusal);
    expect((refused as SparkRefusal).nodeId).toBe("src");
    expect((refused as SparkRefusal).message).toMatch(/node src \(kafka\): the Spark runner does not translate "kafka" nodes/);
  });
});
