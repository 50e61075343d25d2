// Same results on two engines: every template and documents covering the node kinds the Spark
// runner translates run on our engine (manual clock) and on Spark local[2] through the runner
// (Spark's ManualClock), with the same deterministic input (queue or the transaction generator);
// every output's batches must match as multisets, with the same batch times and count.
import { beforeAll, describe, expect, it } from "vitest";
import type { PipelineDocument } from "@/engine/pipeline/document";
import { templates, historicAverageRows, HISTORIC_AVERAGES_TABLE } from "@/engine/pipeline/samples";
import { buildRunner } from "@/scripts/spark/build.mjs";
import { runOnSpark, SparkRefusal } from "@/server/spark/runner";
import { SPARK_TRANSLATED_KINDS } from "@/server/spark/translatable";
import { doc, type N } from "../unit/pipeline/harness";
import { asMultisets, errorsAsMultiset, runManyOnSparkLocal, runOnEngine, type EngineRun, type SparkRun, type Tables } from "./helpers/sparkCompare";

const tables: Tables = {
  [HISTORIC_AVERAGES_TABLE]: historicAverageRows(),
  prices: [{ sku: "a", price: 2 }, { sku: "b", price: 5 }],
  // A duplicate key (the last row wins), a null value (the record's error), a row without its key.
  limits: [{ account: "123-ABC-789", limit: 100 }, { account: "987-CBA-321", limit: null }, { account: "123-ABC-789", limit: 4000 }, { limit: 1 }],
};
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
  "partitions: mapPartitions, glom, repartition (results that do not depend on how records are partitioned)": {
    document: doc(
      [numbers, ["tens", "mapPartitions", { fn: "(records) => records.map((x) => x * 10)" }], ["parts", "glom"], ["flat", "flatMap", { fn: "(part) => part" }],
        ["spread", "repartition", { numPartitions: 4 }], ["spreadParts", "glom"], ["spreadFlat", "flatMap", { fn: "(part) => part.map((x) => -x)" }],
        ["badParts", "mapPartitions", { fn: "(records) => { if (records.includes(7)) throw new Error('seven'); return records; }" }],
        capture("cTens"), capture("cFlat"), capture("cSpreadFlat"), ["printBad", "print", { num: 100 }]],
      [["numbers", "tens"], ["numbers", "parts"], ["parts", "flat"], ["numbers", "spread"], ["spread", "spreadParts"], ["spreadParts", "spreadFlat"],
        ["numbers", "badParts"], ["tens", "cTens"], ["flat", "cFlat"], ["spreadFlat", "cSpreadFlat"], ["badParts", "printBad"]],
    ),
    batches: 6,
  },
  "transformWith: both streams' batches, a throw and a result that is not an array reported on the batch": {
    document: doc(
      [numbers, ["odd", "queue", { batches: [[1, 3], [5], [7, 9], [], [11], [2]], oneAtATime: true }],
        ["minus", "transformWith", { fn: "(left, right, timeMs) => left.filter((x) => !right.includes(x)).map((x) => [x, timeMs])" }],
        ["throws", "transformWith", { fn: "(left, right) => { if (left.length > 3) throw new Error('too many'); return [...left, ...right]; }" }],
        ["notArray", "transformWith", { fn: "(left, right) => (right.length > 1 ? 'two' : [right.length])" }],
        capture("cMinus"), capture("cThrows"), capture("cNotArray")],
      [["numbers", "minus", "out", "left"], ["odd", "minus", "out", "right"], ["numbers", "throws", "out", "left"], ["odd", "throws", "out", "right"],
        ["numbers", "notArray", "out", "left"], ["odd", "notArray", "out", "right"], ["minus", "cMinus"], ["throws", "cThrows"], ["notArray", "cNotArray"]],
    ),
    batches: 6,
  },
  "combineByKey: average per key, and a createCombiner that throws on some values": {
    document: doc(
      [numbers, ["kv", "mapToPair", { fn: "(x) => [x % 3, x]" }],
        ["avg", "combineByKey", {
          createCombiner: "(v) => ({ sum: v, count: 1 })", mergeValue: "(c, v) => ({ sum: c.sum + v, count: c.count + 1 })",
          mergeCombiners: "(a, b) => ({ sum: a.sum + b.sum, count: a.count + b.count })", numPartitions: 3 }],
        ["mean", "mapValues", { fn: "(c) => c.sum / c.count" }],
        ["picky", "combineByKey", {
          createCombiner: "(v) => { if (v % 2 === 0) throw new Error('even ' + v); return v; }", mergeValue: "(c, v) => c + v",
          mergeCombiners: "(a, b) => a + b", numPartitions: 2 }],
        capture("cMean"), capture("cPicky")],
      [["numbers", "kv"], ["kv", "avg"], ["avg", "mean"], ["kv", "picky"], ["mean", "cMean"], ["picky", "cPicky"]],
    ),
    batches: 6,
  },
  "listByKeyAndWindow: each key's values in the window, kept by adding and removing by id": {
    document: doc(
      [["txs", "queue", { batches: [[{ id: 1, acct: "a", v: 1 }, { id: 2, acct: "b", v: 2 }], [{ id: 3, acct: "a", v: 3 }], [], [{ id: 4, acct: "a", v: 4 }, { id: 5, acct: "a", v: 5 }],
          [{ id: 6, acct: "b", v: 6 }], [], [], [{ id: 7, acct: "c", v: 7 }]], oneAtATime: true }],
        ["byAcct", "keyBy", { field: "acct" }], ["lists", "listByKeyAndWindow", { idField: "id", windowMs: 3000, slideMs: 1000 }],
        // A list's order is its values' arrival order, which a shuffle does not fix: the ids sorted.
        ["ids", "mapValues", { fn: "(list) => list.map((t) => t.id).sort((a, b) => a - b)" }],
        ["plain", "mapToPair", { fn: "(t) => [t.acct, t.v]" }], ["plainLists", "listByKeyAndWindow", { idField: "id", windowMs: 4000, slideMs: 2000 }],
        ["sums", "mapValues", { fn: "(list) => list.reduce((a, b) => a + b, 0)" }],
        capture("cIds"), capture("cSums")],
      [["txs", "byAcct"], ["byAcct", "lists"], ["lists", "ids"], ["txs", "plain"], ["plain", "plainLists"], ["plainLists", "sums"], ["ids", "cIds"], ["sums", "cSums"]],
      cp,
    ),
    batches: 10,
  },
  "foreachRDD: a batch's values on the console, one value, nothing, and a throw reported on the batch": {
    document: doc(
      [numbers, ["summary", "foreachRDD", { fn: "(records, timeMs) => [`${timeMs}: ${records.length} records`, records.reduce((a, b) => a + b, 0)]" }],
        ["one", "foreachRDD", { fn: "(records) => (records.length > 2 ? 'many' : undefined)" }],
        ["capped", "foreachRDD", { fn: "(records) => records", num: 2 }],
        ["throws", "foreachRDD", { fn: "(records) => { if (records.length === 0) throw new Error('empty batch'); return []; }" }]],
      [["numbers", "summary"], ["numbers", "one"], ["numbers", "capped"], ["numbers", "throws"]],
    ),
    batches: 6,
  },
  "outputs: print (fewer and more records than num), chartTap of pairs and of a field, databaseTable": {
    document: doc(
      [numbers, ["kv", "mapToPair", { fn: "(x) => [String(x), x * 1.5]" }], ["printAll", "print", { num: 100 }], ["printOne", "count"], ["printCount", "print", { num: 1 }],
        ["chartPairs", "chartTap", { label: "pairs" }], ["objs", "map", { fn: "(x) => ({ n: x, half: x / 2, text: 'x' + x })" }],
        ["chartField", "chartTap", { label: "half", valueField: "half" }], ["rows", "databaseTable", { table: "numbers" }]],
      [["numbers", "kv"], ["kv", "printAll"], ["numbers", "printOne"], ["printOne", "printCount"], ["kv", "chartPairs"], ["numbers", "objs"], ["objs", "chartField"], ["objs", "rows"]],
    ),
    batches: 6,
  },
  "structured keys: objects and arrays as keys compare by value in reduceByKey, groupByKey and join": {
    document: doc(
      [["events", "queue", { batches: [[{ k: { a: 1, b: 2 }, v: 1 }, { k: { b: 2, a: 1 }, v: 2 }, { k: [1, 2], v: 3 }, { k: [1, 2], v: 4 }, { k: "1,2", v: 5 }], [{ k: 1, v: 6 }, { k: "1", v: 7 }, { k: null, v: 8 }, { k: null, v: 9 }]], oneAtATime: true }],
        ["kv", "mapToPair", { fn: "(e) => [e.k, e.v]" }], ["sum", "reduceByKey", { fn: "(a, b) => a + b" }], ["groups", "groupByKey"],
        ["sorted", "mapValues", { fn: "(vs) => [...vs].sort((a, b) => a - b)" }], ["self", "join"], capture("cSum"), capture("cGroups"), capture("cSelf")],
      [["events", "kv"], ["kv", "sum"], ["kv", "groups"], ["groups", "sorted"], ["kv", "self", "out", "left"], ["sum", "self", "out", "right"],
        ["sum", "cSum"], ["sorted", "cGroups"], ["self", "cSelf"]],
    ),
    batches: 3,
  },
  "function errors: flatMap not returning an array, mapToPair not returning a pair, filter and reduceByKey throwing": {
    document: doc(
      [numbers, ["fm", "flatMap", { fn: "(x) => (x % 4 === 0 ? x : [x, x])" }], ["mp", "mapToPair", { fn: "(x) => (x % 5 === 0 ? x : [x % 2, x])" }],
        ["fl", "filter", { fn: "(x) => { if (x === 6) throw new Error('six'); return x > 2; }" }],
        ["rk", "reduceByKey", { fn: "(a, b) => { if (a + b > 12) throw new RangeError('too big'); return a + b; }" }],
        ["mv", "mapValues", { fn: "(v) => v.toFixed(1)" }], ["kv", "map", { fn: "(x) => (x === 3 ? [x] : [x, x])", pairs: true }],
        capture("cFm"), capture("cMp"), capture("cFl"), capture("cRk"), capture("cKv")],
      [["numbers", "fm"], ["numbers", "mp"], ["numbers", "fl"], ["mp", "rk"], ["rk", "mv"], ["numbers", "kv"], ["fm", "cFm"], ["mp", "cMp"], ["fl", "cFl"], ["mv", "cRk"], ["kv", "cKv"]],
    ),
    batches: 6,
  },
  "nested windows: a window of a window, reduceByWindow and countByWindow sliding by two batches": {
    document: doc(
      [numbers, ["w1", "window", { windowMs: 2000, slideMs: 1000 }], ["w2", "window", { windowMs: 4000, slideMs: 2000 }], ["n", "count"],
        ["rw", "reduceByWindow", { fn: "(a, b) => Math.max(a, b)", windowMs: 4000, slideMs: 2000 }], ["cw", "countByWindow", { windowMs: 4000, slideMs: 2000 }],
        capture("cW2"), capture("cN"), capture("cRw"), capture("cCw")],
      [["numbers", "w1"], ["w1", "w2"], ["w2", "n"], ["w1", "rw"], ["numbers", "cw"], ["w2", "cW2"], ["n", "cN"], ["rw", "cRw"], ["cw", "cCw"]],
      cp,
    ),
    batches: 10,
  },
  "tumbling windows: reduceByKeyAndWindow with inverse, countByValueAndWindow, groupByKeyAndWindow with window = slide": {
    document: doc(
      [words, ["split", "flatMap", { fn: "(line) => String(line).split(' ')" }], ["pairs", "mapToPair", { fn: "(w) => [w, 1]" }],
        ["rkw", "reduceByKeyAndWindow", { fn: "(a, b) => a + b", inverseFn: "(a, b) => a - b", windowMs: 2000, slideMs: 2000 }],
        ["cvw", "countByValueAndWindow", { windowMs: 3000, slideMs: 3000 }], ["gkw", "groupByKeyAndWindow", { windowMs: 2000, slideMs: 2000 }],
        ["gkwN", "mapValues", { fn: "(vs) => vs.length" }], capture("cRkw"), capture("cCvw"), capture("cGkw")],
      [["words", "split"], ["split", "pairs"], ["pairs", "rkw"], ["split", "cvw"], ["pairs", "gkw"], ["gkw", "gkwN"], ["rkw", "cRkw"], ["cvw", "cCvw"], ["gkwN", "cGkw"]],
      cp,
    ),
    batches: 9,
  },
  "state that ends: updateStateByKey removing keys, mapWithState removing state and timing out": {
    document: doc(
      [words, ["split", "flatMap", { fn: "(line) => String(line).split(' ')" }], ["pairs", "mapToPair", { fn: "(w) => [w, 1]" }],
        ["capped", "updateStateByKey", { fn: "(values, state) => { const n = (state ?? 0) + values.length; return n >= 4 ? undefined : n; }" }],
        ["throwing", "updateStateByKey", { fn: "(values, state) => { if (values.length > 2) throw new Error('burst'); return (state ?? 0) + values.length; }" }],
        ["once", "mapWithState", { fn: "(key, value, state) => { if (state.isTimingOut()) return 'timeout ' + key; if (state.exists()) { const n = state.get(); state.remove(); return [key, 'removed', n]; } state.update(value); return [key, 'new']; }", timeoutMs: 3000 }],
        capture("cCapped"), capture("cThrowing"), capture("cOnce"), capture("cOnceSnap")],
      [["words", "split"], ["split", "pairs"], ["pairs", "capped"], ["pairs", "throwing"], ["pairs", "once"],
        ["capped", "cCapped"], ["throwing", "cThrowing"], ["once", "cOnce"], ["once", "cOnceSnap", "snapshots"]],
      cp,
    ),
    batches: 9,
  },
  "the article's built-ins on queued lines: parse, keyBy, aggregateState, aggregate, thresholdFilter, lookupJoin (once, inner, a table with a duplicate key and a null value)": {
    document: doc(
      [["lines", "queue", { batches: [["1,01/15/2024,123-ABC-789,10.00,Drug Store", "2,01/15/2024,987-CBA-321,20.00,Misc"], ["3,01/16/2024,123-ABC-789,5000.00,Jewelry", "bad line"],
          [], ["4,01/17/2024,987-CBA-321,25.00,Misc", "5,01/17/2024,123-ABC-789,12.00,Drug Store"]], oneAtATime: true }],
        ["parse", "parseTransactions"], ["byAccount", "keyBy", { field: "account_number" }], ["state", "aggregateState"],
        ["sum", "aggregate", { op: "sum", field: "amount" }], ["min", "aggregate", { op: "min", field: "amount" }], ["cnt", "aggregate", { op: "count", field: "" }],
        ["big", "thresholdFilter", { field: "amount", op: ">", threshold: 100 }],
        ["historic", "lookupJoin", { table: "limits", keyField: "account", valueField: "limit", outer: false, once: true }],
        capture("cDead"), capture("cState"), capture("cSum"), capture("cMin"), capture("cCnt"), capture("cBig"), capture("cHistoric")],
      [["lines", "parse"], ["parse", "cDead", "deadLetter"], ["parse", "byAccount"], ["byAccount", "state"], ["byAccount", "sum"], ["byAccount", "min"], ["byAccount", "cnt"],
        ["parse", "big"], ["byAccount", "historic"], ["state", "cState"], ["sum", "cSum"], ["min", "cMin"], ["cnt", "cCnt"], ["big", "cBig"], ["historic", "cHistoric"]],
      cp,
    ),
    batches: 5,
  },
  "the transaction generator: the same deterministic lines per batch at ten times the speed, counted per account in windows": {
    document: doc(
      [["gen", "transactionGenerator", { mode: "deterministic", timeScale: 10 }], ["parse", "parseTransactions"], ["byAccount", "keyBy", { field: "account" }],
        ["perAccount", "countByKey"], ["lines", "count"], ["w", "countByValueAndWindow", { windowMs: 3000, slideMs: 1000 }], ["acct", "map", { fn: "(tx) => tx.account" }],
        capture("cPerAccount"), capture("cLines"), capture("cW"), capture("cDead")],
      [["gen", "parse"], ["parse", "byAccount"], ["byAccount", "perAccount"], ["gen", "lines"], ["parse", "acct"], ["acct", "w"], ["parse", "cDead", "deadLetter"],
        ["perAccount", "cPerAccount"], ["lines", "cLines"], ["w", "cW"]],
      cp,
    ),
    batches: 8,
  },
  "unions and shapes: three-way union, a batch interval of 500 ms, empty batches, countByValue of objects": {
    document: doc(
      [["a", "queue", { batches: [[{ t: "x" }], [], [{ t: "y" }, { t: "x" }]], oneAtATime: true }], ["b", "queue", { batches: [[], [{ t: "x" }], []], oneAtATime: true }],
        ["c", "queue", { batches: [[{ t: "z" }, { t: "z" }], [], [], [{ t: "x" }]], oneAtATime: true }], ["ab", "union"], ["abc", "union"],
        ["values", "countByValue"], ["n", "count"], ["kinds", "mapToPair", { fn: "(r) => [r.t, 1]" }], ["byKind", "countByKey"],
        capture("cValues"), capture("cN"), capture("cByKind")],
      [["a", "ab", "out", "left"], ["b", "ab", "out", "right"], ["ab", "abc", "out", "left"], ["c", "abc", "out", "right"],
        ["abc", "values"], ["abc", "n"], ["abc", "kinds"], ["kinds", "byKind"], ["values", "cValues"], ["n", "cN"], ["byKind", "cByKind"]],
      { batchIntervalMs: 500 },
    ),
    batches: 6,
  },
};

const probeDocument = doc(
  [["q", "queue", { batches: [[1]] }], ["java", "map", { fn: "(x) => Java.type('java.lang.System').getenv('HOME')" }],
    ["probe", "map", { fn: "(x) => [typeof Java, typeof Polyglot, typeof Graal, typeof load, typeof print, typeof quit, typeof read, typeof require, typeof process]" }],
    capture("cJava"), capture("cProbe")],
  [["q", "java"], ["q", "probe"], ["java", "cJava"], ["probe", "cProbe"]],
);

describe("the same pipeline on our engine and on Spark local[2]", () => {
  const engineRuns = new Map<string, EngineRun | Error>();
  const sparkRuns = new Map<string, SparkRun | Error>();

  // Every document runs in one runner JVM, one after the other on one SparkContext (each with its
  // own StreamingContext on Spark's ManualClock): a JVM and a SparkContext per document cost more
  // than most documents' batches.
  beforeAll(async () => {
    buildRunner({ quiet: true });
    const names = Object.keys(cases);
    const runs = await runManyOnSparkLocal([
      ...names.map((name) => ({ document: cases[name].document, batches: cases[name].batches, tables })),
      { document: probeDocument, batches: 1 },
    ]);
    names.forEach((name, i) => sparkRuns.set(name, runs[i]));
    sparkRuns.set("probe", runs[names.length]);
    for (const name of names)
      engineRuns.set(name, await runOnEngine(cases[name].document, cases[name].batches, tables).catch((e: unknown) => (e instanceof Error ? e : new Error(String(e)))));
  }, 1_800_000);

  function spark(name: string): SparkRun {
    const run = sparkRuns.get(name);
    if (run === undefined) throw new Error(`no Spark run for ${name}`);
    if (run instanceof Error) throw run;
    return run;
  }

  for (const [name, { document, batches }] of Object.entries(cases)) {
    it(name, () => {
      const engine = engineRuns.get(name)!;
      if (engine instanceof Error) throw engine;
      const onSpark = spark(name);
      const expected = asMultisets(engine.outputs);
      // Every output of the document wrote something, so that the comparison is not vacuous.
      expect(Object.keys(expected).length).toBeGreaterThan(0);
      expect(asMultisets(onSpark.outputs)).toEqual(expected);
      expect(errorsAsMultiset(onSpark.errors)).toEqual(errorsAsMultiset(engine.errors));
      // The batch events: one batchCompleted per batch, at the engine's batch times.
      const completed = onSpark.lines.filter((l) => l.type === "batchCompleted").map((l) => (l as { batchTimeMs: number }).batchTimeMs);
      expect(completed).toEqual(Array.from({ length: batches }, (_, i) => (i + 1) * document.settings.batchIntervalMs));
    });
  }

  it("the documents cover every node kind the runner translates", () => {
    const covered = new Set(Object.values(cases).flatMap(({ document }) => document.nodes.map((n) => n.kind)));
    expect([...SPARK_TRANSLATED_KINDS].filter((k) => !covered.has(k))).toEqual([]);
    expect(Object.keys(cases).filter((name) => !name.startsWith("template: ")).length).toBeGreaterThanOrEqual(20);
    for (const id of Object.keys(templates).filter((t) => t !== "blank")) expect(Object.values(cases).map((c) => c.document)).toContain(templates[id as keyof typeof templates]);
  });

  it("user functions on Spark see ECMAScript's globals only: no Java, no GraalJS shell built-ins", () => {
    const onSpark = spark("probe");
    expect(onSpark.outputs.get("deadLetters:cProbe")?.get(1000)).toEqual([Array(9).fill("undefined")]);
    expect(onSpark.outputs.get("deadLetters:cJava")?.get(1000)).toEqual([]);
    expect(onSpark.errors).toEqual([{ nodeId: "java", field: "fn", message: "Java is not defined", record: 1 }]);
  });

  it("a node the runner cannot translate is refused before Spark starts, with the node named", async () => {
    const d = doc([["src", "socketText", { host: "localhost", port: 9999 }], ["out", "print"]], [["src", "out"]]);
    const refused = await runOnSpark({ document: d, batches: 1 }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(SparkRefusal);
    expect((refused as SparkRefusal).nodeId).toBe("src");
    expect((refused as SparkRefusal).message).toMatch(/node src \(socketText\): /);
  });
});
