import type { DStream } from "@/engine/dstream/DStream";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { catalog, NODE_KINDS, type NodeKind } from "@/engine/pipeline/catalog";
import { compilePipeline, PipelineCompileError } from "@/engine/pipeline/compile";
import { ManualClock } from "@/engine/streaming/ManualClock";
import { Milliseconds } from "@/engine/streaming/Duration";
import { streamingBasicsTemplate, windowExplorerTemplate } from "@/engine/pipeline/samples";
import { doc, runDoc, type E, type N } from "./harness";

const sorted = (batch: unknown[]) => [...batch].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

/** queue(batches) → the node under test → capture; returns the captured batches. */
async function through(kind: string, config: Record<string, unknown>, batches: unknown[][], n = batches.length, settings = {}) {
  // Pair operations get the queue's [key, value] records through an identity Map to pair.
  const pair = catalog[kind as NodeKind].inputs[0]?.type === "pair";
  const nodes: N[] = [["q0", "queue", { batches }], ["q", pair ? "mapToPair" : "filter", { fn: pair ? "(x) => x" : "() => true" }], ["x", kind, config], ["cap", "deadLetters"]];
  const captured = await runDoc(doc(nodes, [["q0", "q"], ["q", "x"], ["x", "cap"]], settings), n);
  return { out: captured.batches.get("cap") ?? [], captured };
}
const pairs = [[["a", 1], ["b", 2], ["a", 3]], [["b", 4]]];

/** Every kind has at least one spec below; this list is checked against the catalog. */
const covered = new Set<string>();
const spec = (kind: string, name: string, fn: () => Promise<void>) => {
  covered.add(kind);
  it(`${kind}: ${name}`, fn);
};

describe("compiled nodes on sample data", () => {
  spec("queue", "one list per batch", async () => expect((await through("filter", {}, [[1, 2], [3, 4]])).out).toEqual([[2], [4]]));
  spec("map", "applies the function; a throw reports the record and the run goes on", async () => {
    const { out, captured } = await through("map", { fn: "(x) => { if (x === 2) throw new Error('no twos'); return x * 10; }" }, [[1, 2, 3]]);
    expect(out).toEqual([[10, 30]]);
    expect(captured.errors).toEqual([{ nodeId: "x", field: "fn", message: "no twos", record: 2 }]);
  });
  spec("mapToPair", "makes [key, value]", async () => expect((await through("mapToPair", { fn: "(x) => [x % 2, x]" }, [[1, 2]])).out).toEqual([[[1, 1], [0, 2]]]));
  spec("flatMap", "many per record", async () => expect((await through("flatMap", {}, [["a b", "c"]])).out).toEqual([["a", "b", "c"]]));
  spec("filter", "keeps matches", async () => expect((await through("filter", { fn: "(x) => x > 1" }, [[1, 2, 3]])).out).toEqual([[2, 3]]));
  spec("mapPartitions", "per partition", async () => expect(sorted((await through("mapPartitions", { fn: "(rs) => [rs.length]" }, [[1, 2, 3, 4]])).out[0])).toEqual([2, 2]));
  spec("glom", "arrays of partitions", async () => expect((await through("glom", {}, [[1, 2, 3, 4]])).out[0]).toEqual([[1, 2], [3, 4]]));
  spec("repartition", "same records", async () => expect(sorted((await through("repartition", { numPartitions: 3 }, [[1, 2, 3]])).out[0])).toEqual([1, 2, 3]));
  spec("count", "one count per batch", async () => expect((await through("count", {}, [[1, 2, 3], []])).out).toEqual([[3], [0]]));
  spec("countByValue", "value counts", async () => expect(sorted((await through("countByValue", {}, [[1, 1, 2]])).out[0])).toEqual([[1, 2], [2, 1]]));
  spec("reduce", "folds the batch", async () => expect((await through("reduce", {}, [[1, 2, 3]])).out).toEqual([[6]]));
  spec("transform", "whole batch", async () => expect((await through("transform", { fn: "(rs) => [rs.length]" }, [[5, 6]])).out).toEqual([[2]]));
  spec("union", "both streams", async () => {
    const c = await runDoc(doc([["a", "queue", { batches: [[1]] }], ["b", "queue", { batches: [[2]] }], ["u", "union"], ["cap", "deadLetters"]], [["a", "u", "out", "left"], ["b", "u", "out", "right"], ["u", "cap"]]), 1);
    expect(sorted(c.batches.get("cap")![0])).toEqual([1, 2]);
  });
  spec("parseTransactions", "transactions out, unparsable lines on the dead-letter port", async () => {
    const c = await runDoc(doc(
      [["q", "queue", { batches: [["1,03/14/2024,123-ABC-789,10.34,Drug Store", "oops"]] }], ["p", "parseTransactions"], ["ok", "deadLetters"], ["dead", "deadLetters"]],
      [["q", "p"], ["p", "ok"], ["p", "dead", "deadLetter", "in"]],
    ), 1);
    expect(c.batches.get("ok")).toEqual([[{ id: 1, date: "2024-03-14", account_number: "123-ABC-789", amount: 10.34, description: "Drug Store" }]]);
    expect(c.batches.get("dead")![0]).toEqual([{ originalMessage: "oops", error: expect.stringMatching(/expected 5/) }]);
  });
  spec("thresholdFilter", "field minus field above threshold", async () => {
    const { out } = await through("thresholdFilter", { field: "1.0", minus: "1.1", op: ">", threshold: 2000 }, [[["a", [5000, 1000]], ["b", [2500, 1000]]]]);
    expect(out).toEqual([[["a", [5000, 1000]]]]);
  });
  spec("keyBy", "pairs by field", async () => expect((await through("keyBy", { field: "k" }, [[{ k: "a" }]])).out).toEqual([[["a", { k: "a" }]]]));
  spec("mapValues", "keeps keys", async () => expect((await through("mapValues", { fn: "(v) => v * 2" }, [[["a", 1]]])).out).toEqual([[["a", 2]]]));
  spec("flatMapValues", "many values", async () => expect((await through("flatMapValues", { fn: "(v) => [v, v]" }, [[["a", 1]]])).out).toEqual([[["a", 1], ["a", 1]]]));
  spec("groupByKey", "values per key", async () => expect(sorted((await through("groupByKey", {}, pairs, 1)).out[0])).toEqual([["a", [1, 3]], ["b", [2]]]));
  spec("reduceByKey", "sums per key", async () => expect(sorted((await through("reduceByKey", {}, pairs, 1)).out[0])).toEqual([["a", 4], ["b", 2]]));
  spec("countByKey", "counts per key", async () => expect(sorted((await through("countByKey", {}, pairs, 1)).out[0])).toEqual([["a", 2], ["b", 1]]));
  spec("aggregate", "average of a field", async () => {
    const data = [[["a", { amount: 10 }], ["a", { amount: 30 }], ["b", { amount: 5 }]]];
    expect(sorted((await through("aggregate", { op: "average", field: "amount" }, data)).out[0])).toEqual([["a", 20], ["b", 5]]);
    expect(sorted((await through("aggregate", { op: "count" }, data)).out[0])).toEqual([["a", 2], ["b", 1]]);
  });
  const win = { windowMs: 2000, slideMs: 1000 };
  spec("window", "last two batches", async () => expect((await through("window", win, [[1], [2], [3]])).out.map(sorted)).toEqual([[1], [1, 2], [2, 3]]));
  spec("reduceByWindow", "sum over window", async () => expect((await through("reduceByWindow", win, [[1], [2], [3]])).out).toEqual([[1], [3], [5]]));
  spec("groupByKeyAndWindow", "values per key over window", async () => {
    const { out } = await through("groupByKeyAndWindow", win, [[["a", 1]], [["a", 2]]]);
    expect(out[1].map((kv) => [(kv as [string, number[]])[0], sorted((kv as [string, number[]])[1])])).toEqual([["a", [1, 2]]]);
  });
  spec("reduceByKeyAndWindow", "sum per key over window", async () => expect((await through("reduceByKeyAndWindow", win, [[["a", 1]], [["a", 2]], [["a", 3]]])).out).toEqual([[["a", 1]], [["a", 3]], [["a", 5]]]));
  const cp = { checkpointing: { enabled: true } };
  const cpEnv = () => ({ checkpointDir: fs.mkdtempSync(path.join(os.tmpdir(), "pipeline-cp-")) });
  spec("listByKeyAndWindow", "lists per key over window; leaving values removed by id, one per occurrence (checkpointed)", async () => {
    const t = (id: number) => ({ id });
    const batches = [[["a", t(1)], ["a", t(2)]], [["a", t(3)], ["b", t(1)]], [["b", t(1)]], []];
    const nodes: N[] = [["q", "queue", { batches }], ["p", "mapToPair", { fn: "(x) => x" }], ["x", "listByKeyAndWindow", { ...win, idField: "id" }], ["cap", "deadLetters"]];
    const c = await runDoc(doc(nodes, [["q", "p"], ["p", "x"], ["x", "cap"]], cp), 4, cpEnv());
    const ids = (batch: unknown[]) => sorted(batch.map((kv) => [(kv as [string, { id: number }[]])[0], (kv as [string, { id: number }[]])[1].map((v) => v.id)]));
    // A key whose values all left stays, with an empty list (the inverse form never drops keys).
    expect(c.batches.get("cap")!.map(ids)).toEqual([[["a", [1, 2]]], [["a", [1, 2, 3]], ["b", [1]]], [["a", [3]], ["b", [1, 1]]], [["a", []], ["b", [1]]]]);
  });
  spec("countByWindow", "count over window (checkpointed)", async () => {
    const c = await runDoc(doc([["q", "queue", { batches: [[1], [2, 3], [4]] }], ["x", "countByWindow", win], ["cap", "deadLetters"]], [["q", "x"], ["x", "cap"]], cp), 3, cpEnv());
    expect(c.batches.get("cap")).toEqual([[1], [3], [3]]);
  });
  spec("countByValueAndWindow", "value counts over window (checkpointed)", async () => {
    const c = await runDoc(doc([["q", "queue", { batches: [[1], [1, 2]] }], ["x", "countByValueAndWindow", win], ["cap", "deadLetters"]], [["q", "x"], ["x", "cap"]], cp), 2, cpEnv());
    expect(sorted(c.batches.get("cap")![1])).toEqual([[1, 2], [2, 1]]);
  });
  const stateDoc = (kind: string, port = "out") =>
    doc([["q0", "queue", { batches: [[["a", 1]], [["a", 1], ["b", 1]]] }], ["q", "mapToPair", { fn: "(x) => x" }], ["x", kind], ["cap", "deadLetters"]], [["q0", "q"], ["q", "x"], ["x", "cap", port]], cp);
  spec("updateStateByKey", "running count per key, every key every batch", async () => {
    const c = await runDoc(stateDoc("updateStateByKey"), 2, cpEnv());
    expect(c.batches.get("cap")!.map(sorted)).toEqual([[["a", 1]], [["a", 2], ["b", 1]]]);
  });
  spec("mapWithState", "one call per record, the second seeing the first's update; snapshots hold every key", async () => {
    const c = await runDoc(stateDoc("mapWithState"), 2, cpEnv());
    expect(c.batches.get("cap")!.map(sorted)).toEqual([[["a", 1]], [["a", 2], ["b", 1]]]);
    const snaps = await runDoc(stateDoc("mapWithState", "snapshots"), 2, cpEnv());
    expect(snaps.batches.get("cap")!.map(sorted)).toEqual([[["a", 1]], [["a", 2], ["b", 1]]]);
  });
  const tx = (id: number) => expect.objectContaining({ id });
  const txs = (...xs: [string, number, number][]) => xs.map(([k, id, amount]) => [k, { id, account_number: k, amount }]);
  spec("aggregateState", "AggregateData per key, every key every batch (windowSpendingAvg 0 without data)", async () => {
    const c = await runDoc(doc([["q0", "queue", { batches: [txs(["a", 1, 10], ["a", 2, 30]), txs(["b", 3, 5])] }], ["q", "mapToPair", { fn: "(x) => x" }], ["x", "aggregateState"], ["cap", "deadLetters"]], [["q0", "q"], ["q", "x"], ["x", "cap"]], cp), 2, cpEnv());
    expect(c.batches.get("cap")!.map(sorted)).toEqual([
      [["a", { totalSpending: 40, numTx: 2, windowSpendingAvg: 20, averageTx: 20, windowTransactions: [tx(1), tx(2)] }]],
      [["a", { totalSpending: 40, numTx: 2, windowSpendingAvg: 0, averageTx: 20, windowTransactions: [] }], ["b", { totalSpending: 5, numTx: 1, windowSpendingAvg: 5, averageTx: 5, windowTransactions: [tx(3)] }]],
    ]);
  });
  spec("aggregateWithState", "one call per list, evaluated transactions out, AggregateData snapshots", async () => {
    const lists = [[["a", [{ id: 1, account_number: "a", amount: 10 }, { id: 2, account_number: "a", amount: 5000 }]]], [["a", [{ id: 3, account_number: "a", amount: 30 }]]]];
    const d = (port: string) => doc([["q0", "queue", { batches: lists }], ["q", "mapToPair", { fn: "(x) => x" }], ["x", "aggregateWithState", { fraudAmount: 4000 }], ["cap", "deadLetters"]], [["q0", "q"], ["q", "x"], ["x", "cap", port]], cp);
    const out = (await runDoc(d("out"), 2, cpEnv())).batches.get("cap")!;
    expect(out[0].map((e) => [(e as { tx: { id: number } }).tx.id, (e as { isPossibleFraud: boolean }).isPossibleFraud])).toEqual([[1, false], [2, true]]);
    expect(out[1]).toEqual([expect.objectContaining({ rule: "amount>4000", aggregate: expect.objectContaining({ numTx: 3, windowSpendingAvg: 30, averageTx: 5040 / 3 }) })]);
    const snaps = (await runDoc(d("snapshots"), 2, cpEnv())).batches.get("cap")!;
    expect(snaps[1]).toEqual([["a", expect.objectContaining({ totalSpending: 5040, numTx: 3 })]]);
  });
  spec("aggregateWithState", "an account that stops sending times out: dropped from the state, with no evaluated output", async () => {
    const tx = (id: number, k: string) => ({ id, date: "2024-01-01", account_number: k, amount: 5000, description: "Gas" });
    // 1 s batches; "a" sends in the first batch only, "b" in every batch; timeout 2 s.
    const lists = Array.from({ length: 11 }, (_, i) => (i === 0 ? [["a", [tx(100, "a")]], ["b", [tx(1, "b")]]] : [["b", [tx(i + 1, "b")]]]));
    const d = (port: string) => doc([["q0", "queue", { batches: lists }], ["q", "mapToPair", { fn: "(x) => x" }], ["x", "aggregateWithState", { fraudAmount: 4000, timeoutMs: 2000 }], ["cap", "deadLetters"]], [["q0", "q"], ["q", "x"], ["x", "cap", port]], cp);
    const keys = (batch: unknown[]) => batch.map((kv) => (kv as [string])[0]).sort();
    const snaps = (await runDoc(d("snapshots"), 11, cpEnv())).batches.get("cap")!;
    // Idle from t = 1 s, but Spark looks for timeouts only when the state is checkpointed (every
    // 10 batches by default): "a" goes at t = 10 s.
    expect(snaps.map(keys)).toEqual([...Array.from({ length: 9 }, () => ["a", "b"]), ["b"], ["b"]]);
    // Timing out emits nothing (the article's function returns no evaluated transactions then).
    const out = (await runDoc(d("out"), 11, cpEnv())).batches.get("cap")!;
    const ids = (batch: unknown[]) => batch.map((e) => (e as { tx: { id: number } }).tx.id).sort((x, y) => x - y);
    expect(out.map(ids)).toEqual([[1, 100], ...Array.from({ length: 10 }, (_, i) => [i + 2])]);
  });
  spec("fraudRules", "one flag per rule above the historic average", async () => {
    const agg = (averageTx: number, windowSpendingAvg: number) => ({ totalSpending: 0, numTx: 1, averageTx, windowSpendingAvg, windowTransactions: [{ id: 7, date: "2024-01-01", account_number: "a", amount: 1, description: "Gas" }] });
    const { out } = await through("fraudRules", { threshold: 2000 }, [[["a", [agg(3000, 100), 500]], ["b", [agg(100, 100), 500]], ["c", [agg(2600, 2600), 500]]]]);
    expect(out[0].map((f) => `${(f as { account: string }).account}:${(f as { rule: string }).rule}`)).toEqual(["a:averageTx", "c:averageTx", "c:windowSpendingAvg"]);
  });
  spec("fraudFlags", "flags stamped with their batch and window, to the flags sink", async () => {
    const seen: unknown[] = [];
    const candidate = { account: "a", rule: "averageTx", windowSpendingAvg: 1, averageTx: 2, historicAvg: 0, amount: null, threshold: 0, txIds: [1] };
    await runDoc(doc([["q", "queue", { batches: [[candidate, { not: "a flag" }], []] }], ["w", "window", { windowMs: 2000, slideMs: 2000 }], ["f", "fraudFlags"]], [["q", "w"], ["w", "f"]]), 2, {
      sinks: { flags: (nodeId, flags, t) => void seen.push({ nodeId, flags, t }) },
    });
    expect(seen).toEqual([{ nodeId: "f", t: 2000, flags: [{ ...candidate, transactions: [], batchTimeMs: 2000, window: { startMs: 0, endMs: 2000 } }] }]);
  });
  spec("lookupJoin", "once: reads the table in the first batch only", async () => {
    let reads = 0;
    const c = await runDoc(doc([["q0", "queue", { batches: [[["a", 1]], [["a", 2]]] }], ["q", "mapToPair", { fn: "(x) => x" }], ["j", "lookupJoin", { table: "hist", keyField: "acct", valueField: "avg", once: true }], ["cap", "deadLetters"]], [["q0", "q"], ["q", "j"], ["j", "cap"]]), 2, {
      readTable: () => (reads++, [{ acct: "a", avg: reads }]),
    });
    expect(c.batches.get("cap")).toEqual([[["a", [1, 1]]], [["a", [2, 1]]]]);
    expect(reads).toBe(1);
  });
  const joinDoc = (kind: string) => doc(
    [["l0", "queue", { batches: [[["a", 1], ["b", 2]]] }], ["r0", "queue", { batches: [[["a", "x"], ["c", "y"]]] }], ["l", "mapToPair", { fn: "(x) => x" }], ["r", "mapToPair", { fn: "(x) => x" }], ["j", kind], ["cap", "deadLetters"]],
    [["l0", "l"], ["r0", "r"], ["l", "j", "out", "left"], ["r", "j", "out", "right"], ["j", "cap"]],
  );
  const joins: Record<string, unknown[]> = {
    join: [["a", [1, "x"]]],
    leftOuterJoin: [["a", [1, "x"]], ["b", [2, undefined]]],
    rightOuterJoin: [["a", [1, "x"]], ["c", [undefined, "y"]]],
    fullOuterJoin: [["a", [1, "x"]], ["b", [2, undefined]], ["c", [undefined, "y"]]],
    cogroup: [["a", [[1], ["x"]]], ["b", [[2], []]], ["c", [[], ["y"]]]],
  };
  for (const [kind, expected] of Object.entries(joins)) {
    spec(kind, "pairs of both sides", async () => expect(sorted((await runDoc(joinDoc(kind), 1)).batches.get("cap")![0])).toEqual(sorted(expected)));
  }
  spec("lookupJoin", "joins the table's rows by key", async () => {
    const c = await runDoc(doc([["q0", "queue", { batches: [[["a", 10], ["z", 1]]] }], ["q", "mapToPair", { fn: "(x) => x" }], ["j", "lookupJoin", { table: "hist", keyField: "acct", valueField: "avg" }], ["cap", "deadLetters"]], [["q0", "q"], ["q", "j"], ["j", "cap"]]), 1, {
      readTable: (t) => (t === "hist" ? [{ acct: "a", avg: 7 }] : []),
    });
    expect(c.batches.get("cap")).toEqual([[["a", [10, 7]]]]);
  });
  spec("print", "Spark's layout per batch", async () => {
    const c = await runDoc(doc([["q", "queue", { batches: [[1, 2, 3]] }], ["p", "print", { num: 2 }]], [["q", "p"]]), 1);
    expect(c.printed.get("p")![0]).toEqual(["-------------------------------------------", "Time: 1000 ms", "-------------------------------------------", "1", "2", "...", ""]);
  });
  spec("chartTap", "values of pairs", async () => {
    const c = await runDoc(doc([["q", "queue", { batches: [[["a", 2], ["b", 3]]] }], ["c", "chartTap", { label: "n" }]], [["q", "c"]]), 1);
    expect(c.charts).toEqual([{ nodeId: "c", label: "n", values: [2, 3] }]);
  });
  spec("deadLetters", "hands records to the sink", async () => expect((await through("filter", { fn: "() => true" }, [[1]])).out).toEqual([[1]]));
  spec("databaseTable", "rows to the table writer", async () => {
    const c = await runDoc(doc([["q", "queue", { batches: [[{ a: 1 }]] }], ["t", "databaseTable", { table: "results" }]], [["q", "t"]]), 1);
    expect(c.tables.filter((t) => t.rows.length)).toEqual([{ table: "results", rows: [{ a: 1 }] }]);
  });
  for (const kind of ["saveAsTextFiles", "saveAsObjectFiles"]) {
    spec(kind, "writes a file per batch", async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pipeline-out-"));
      await runDoc(doc([["q", "queue", { batches: [[1, 2]] }], ["s", kind, { prefix: path.join(dir, "b"), suffix: "out" }]], [["q", "s"]]), 1);
      expect(fs.readdirSync(dir)).toEqual(["b-1000.out"]);
    });
  }
  spec("kafka", "comes from the environment's Kafka factory", async () => {
    const c = await runDoc(doc([["k", "kafka"], ["cap", "deadLetters"]], [["k", "cap"]]), 1, {
      kafka: { stream: (ssc, o) => ssc.queueStream([ssc.sc.makeRDD([`from ${o.topic}`])]) as unknown as DStream<string> },
    });
    expect(c.batches.get("cap")).toEqual([["from transactions"]]);
  });
  spec("kafkaSink", "hands the stream to the environment's Kafka sink", async () => {
    const seen: string[] = [];
    await runDoc(doc([["q", "queue", { batches: [[1]] }], ["k", "kafkaSink", { topic: "out" }]], [["q", "k"]]), 1, {
      kafka: { stream: () => { throw new Error("unused"); }, sink: (stream, o) => void stream.foreachRDD(() => void seen.push(o.topic)) },
    });
    expect(seen).toEqual(["out"]);
  });
  spec("cassandraTable", "hands the stream and the table to the environment's Cassandra output", async () => {
    const seen: unknown[] = [];
    await runDoc(doc([["q", "queue", { batches: [[{ k: "a" }]] }], ["c", "cassandraTable", { contactPoints: ["db1:9142", "db2"], keyspace: "ks", table: "t" }]], [["q", "c"]]), 1, {
      cassandra: {
        lookup: () => { throw new Error("unused"); },
        sink: (stream, o) => stream.foreachRDD((rdd) => void seen.push(o, rdd.collect())),
      },
    });
    expect(seen).toEqual([{ cluster: { contactPoints: ["db1:9142", "db2"], localDataCenter: "datacenter1" }, keyspace: "ks", table: "t", nodeId: "c" }, [{ k: "a" }]]);
  });
  spec("lookupJoin", "source cassandra: joins the environment's Cassandra table; a null value is a node error naming the key", async () => {
    const requests: unknown[] = [];
    const c = await runDoc(doc([["q0", "queue", { batches: [[["a", 1], ["n", 2], ["z", 3]]] }], ["q", "mapToPair", { fn: "(x) => x" }], ["j", "lookupJoin", { source: "cassandra", table: "hist", keyField: "acct", valueField: "avg", refreshEveryBatches: 3 }], ["cap", "deadLetters"]], [["q0", "q"], ["q", "j"], ["j", "cap"]]), 1, {
      cassandra: {
        lookup: (_ssc, request) => {
          requests.push(request);
          const rows = new Map<unknown, Record<string, unknown>>([["a", { acct: "a", avg: 10 }], ["n", { acct: "n", avg: null }]]);
          return () => rows;
        },
        sink: () => { throw new Error("unused"); },
      },
    });
    expect(requests).toEqual([{ cluster: { contactPoints: ["localhost:9042"], localDataCenter: "datacenter1" }, keyspace: "finances", table: "hist", keyColumn: "acct", valueColumns: ["avg"], refreshEveryBatches: 3, nodeId: "j" }]);
    expect(c.batches.get("cap")).toEqual([[["a", [1, 10]]]]);
    expect(c.errors.map((e) => [e.nodeId, e.message])).toEqual([["j", 'finances.hist has no avg (null) for key "n"']]);
  });
  spec("textFiles", "reads new files of a directory", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pipeline-in-"));
    const { ssc, streams } = compilePipeline(doc([["t", "textFiles", { directory: dir }], ["cap", "deadLetters"]], [["t", "cap"]]), { clock: new ManualClock(0) });
    expect(streams.get("t:out")?.id).toBe("t:out");
    await ssc.stop();
  });
  spec("transactionGenerator", "compiles to the generator's receiver stream", async () => {
    const { ssc, streams } = compilePipeline(doc([["g", "transactionGenerator"], ["cap", "deadLetters"]], [["g", "cap"]]), { clock: new ManualClock(0) });
    expect(streams.get("g:out")?.id).toBe("g:out");
    await ssc.stop();
  });

  spec("socketText", "the socket word count: lines from a real TCP server, counted per batch", async () => {
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as net.AddressInfo).port;
    const accepted = new Promise<net.Socket>((r) => server.once("connection", r));
    const printed: string[][] = [];
    const clock = new ManualClock(0);
    const { ssc } = compilePipeline(
      doc(
        [["s", "socketText", { host: "127.0.0.1", port }], ["w", "flatMap", { fn: "(line) => line.split(' ')" }], ["p", "mapToPair", { fn: "(w) => [w, 1]" }], ["c", "reduceByKey"], ["out", "print"]],
        [["s", "w"], ["w", "p"], ["p", "c"], ["c", "out"]],
      ),
      { clock, sinks: { print: (_n, lines) => void printed.push(lines) } },
    );
    const ended = new Promise<void>((r) => ssc.addStreamingListener((e) => e.type === "receiverError" && /no more data/.test(e.message ?? "") && r()));
    ssc.start();
    try {
      (await accepted).end("to be or\nnot to be\n");
      await ended;
      clock.advance(Milliseconds(1000));
      await ssc.awaitBatchesDue();
    } finally {
      await ssc.stop();
      await new Promise((r) => server.close(r));
    }
    expect(printed[0].slice(0, 3)).toEqual(["-------------------------------------------", "Time: 1000 ms", "-------------------------------------------"]);
    expect(printed[0].slice(3, -1).sort()).toEqual(["(be,2)", "(not,1)", "(or,1)", "(to,2)"]);
  });
  spec("transformWith", "one function of both batches and the time", async () => {
    const c = await runDoc(
      doc(
        [["a", "queue", { batches: [[1, 2, 3], [4]] }], ["b", "queue", { batches: [[2], [9]] }], ["t", "transformWith", { fn: "(l, r, t) => l.filter((x) => !r.includes(x)).map((x) => [x, t])" }], ["cap", "deadLetters"]],
        [["a", "t", "out", "left"], ["b", "t", "out", "right"], ["t", "cap"]],
      ),
      2,
    );
    expect(c.batches.get("cap")!.map(sorted)).toEqual([[[1, 1000], [3, 1000]], [[4, 2000]]]);
  });
  spec("transformWith", "a function that throws or returns no array reports the batch and yields nothing", async () => {
    const c = await runDoc(
      doc(
        [["a", "queue", { batches: [[1], [2]] }], ["b", "queue", { batches: [[1], [2]] }], ["t", "transformWith", { fn: "(l, r, t) => { if (t === 1000) throw new Error('boom'); return 'x'; }" }], ["cap", "deadLetters"]],
        [["a", "t", "out", "left"], ["b", "t", "out", "right"], ["t", "cap"]],
      ),
      2,
    );
    expect(c.batches.get("cap")).toEqual([[], []]);
    expect(c.errors).toEqual([
      { nodeId: "t", field: "fn", message: "boom", record: "batch 1000 ms (2 records)" },
      { nodeId: "t", field: "fn", message: "fn must return an array of records, got string", record: "batch 2000 ms" },
    ]);
  });
  spec("combineByKey", "the user's three functions: average per key in the asked partitions", async () => {
    const data = [[["a", 1], ["b", 4], ["a", 3], ["a", 5]]];
    const { out } = await through("combineByKey", { numPartitions: 3 }, data);
    expect(sorted(out[0])).toEqual([["a", { sum: 9, count: 3 }], ["b", { sum: 4, count: 1 }]]);
  });
  spec("combineByKey", "a value on which createCombiner throws is reported and left out", async () => {
    const config = { createCombiner: "(v) => { if (v < 0) throw new Error('negative'); return [v]; }", mergeValue: "(c, v) => [...c, v]", mergeCombiners: "(a, b) => [...a, ...b]", numPartitions: 1 };
    const { out, captured } = await through("combineByKey", config, [[["a", -1], ["a", 2], ["b", -5]]]);
    expect(out[0]).toEqual([["a", [2]]]);
    expect(captured.errors.map((e) => [e.field, e.message, e.record])).toEqual([["createCombiner", "negative", -1], ["createCombiner", "negative", -5]]);
  });
  spec("foreachRDD", "the returned values go to the node's console, nowhere else", async () => {
    const c = await runDoc(
      doc([["q", "queue", { batches: [[1, 2], [], [3]] }], ["f", "foreachRDD", { fn: "(records, t) => records.length ? [{ t, n: records.length }, ['sum', records.reduce((a, b) => a + b, 0)]] : undefined" }]], [["q", "f"]]),
      3,
    );
    const dashes = "-------------------------------------------";
    expect(c.printed.get("f")).toEqual([
      [dashes, "Time: 1000 ms", dashes, '{"t":1000,"n":2}', "(sum,3)", ""],
      [dashes, "Time: 3000 ms", dashes, '{"t":3000,"n":1}', "(sum,3)", ""],
    ]);
  });
  spec("foreachRDD", "a throw is reported with the batch, and the run goes on", async () => {
    const c = await runDoc(doc([["q", "queue", { batches: [[1], [2]] }], ["f", "foreachRDD", { fn: "(rs, t) => { if (t === 1000) throw new Error('nope'); return rs; }" }]], [["q", "f"]]), 2);
    expect(c.errors).toEqual([{ nodeId: "f", field: "fn", message: "nope", record: "batch 1000 ms (1 records)" }]);
    expect(c.printed.get("f")!.map((l) => l.slice(3, -1))).toEqual([["2"]]);
  });
  spec("reduceByKeyAndWindow", "with an inverse, a key back to 0 stays (Spark) unless filterFunc drops it", async () => {
    const batches = [[["is", 1]], [["a", 1]], [["a", 1]]];
    const settings = { checkpointing: { enabled: true } };
    const base = { ...win, inverseFn: "(a, b) => a - b" };
    const kept = await runDoc(doc([["q0", "queue", { batches }], ["q", "mapToPair", { fn: "(x) => x" }], ["x", "reduceByKeyAndWindow", base], ["cap", "deadLetters"]], [["q0", "q"], ["q", "x"], ["x", "cap"]], settings), 3, cpEnv());
    expect(kept.batches.get("cap")!.map(sorted)).toEqual([[["is", 1]], [["a", 1], ["is", 1]], [["a", 2], ["is", 0]]]);
    const filtered = await runDoc(doc([["q0", "queue", { batches }], ["q", "mapToPair", { fn: "(x) => x" }], ["x", "reduceByKeyAndWindow", { ...base, filterFunc: "([k, v]) => v !== 0" }], ["cap", "deadLetters"]], [["q0", "q"], ["q", "x"], ["x", "cap"]], settings), 3, cpEnv());
    expect(filtered.batches.get("cap")!.map(sorted)).toEqual([[["is", 1]], [["a", 1], ["is", 1]], [["a", 2]]]);
  });
  spec("reduceByKeyAndWindow", "without an inverse, filterFunc filters the window's result", async () => {
    const { out } = await through("reduceByKeyAndWindow", { ...win, filterFunc: "([k, v]) => v > 1" }, [[["a", 1], ["b", 5]], [["a", 2]]]);
    expect(out.map(sorted)).toEqual([[["b", 5]], [["a", 3], ["b", 5]]]);
  });
  spec("countByValueAndWindow", "zero counts dropped as in Spark, kept when filterFunc says so", async () => {
    const run = (config: Record<string, unknown>) =>
      runDoc(doc([["q", "queue", { batches: [[1], [2], [3]] }], ["x", "countByValueAndWindow", { ...win, ...config }], ["cap", "deadLetters"]], [["q", "x"], ["x", "cap"]], cp), 3, cpEnv());
    expect((await run({})).batches.get("cap")!.map(sorted)).toEqual([[[1, 1]], [[1, 1], [2, 1]], [[2, 1], [3, 1]]]);
    expect((await run({ filterFunc: "() => true" })).batches.get("cap")!.map(sorted)).toEqual([[[1, 1]], [[1, 1], [2, 1]], [[1, 0], [2, 1], [3, 1]]]);
  });
  spec("print", "tuples as (a,1) and objects made by user functions as JSON", async () => {
    const c = await runDoc(doc([["q", "queue", { batches: [["x"]] }], ["m", "map", { fn: "(w) => ({ word: w, pair: [w, 1] })" }], ["p", "print"]], [["q", "m"], ["m", "p"]]), 1);
    expect(c.printed.get("p")![0][3]).toBe('{"word":"x","pair":["x",1]}');
  });

  it("covers every kind of the catalog", () => {
    expect(NODE_KINDS.filter((k) => !covered.has(k))).toEqual([]);
  });
});

describe("compilePipeline", () => {
  it("runs the streaming basics template: modulo 4, count and countByValue printed per batch", async () => {
    const c = await runDoc(streamingBasicsTemplate, 2);
    expect(c.printed.get("printValues")!.map((l) => l.slice(3, -1))).toEqual([["1"], ["2"]]);
    expect(c.printed.get("printCount")!.map((l) => l.slice(3, -1))).toEqual([["1"], ["1"]]);
    expect(c.printed.get("printCountByValue")![1].slice(3, -1)).toEqual(["(2,1)"]);
  });

  it("runs the window explorer: windows of up to 3 batches every 2 s", async () => {
    const c = await runDoc(windowExplorerTemplate, 4);
    expect(c.printed.get("printWindow")!.map((l) => l.slice(3, -1))).toEqual([["1", "2"], ["2", "3", "4"]]);
  });

  it("gives every port's stream the stable id <nodeId>:<port>", async () => {
    const { ssc, streams } = compilePipeline(streamingBasicsTemplate, { clock: new ManualClock(0) });
    expect([...streams.keys()].sort()).toEqual(["count:out", "countByValue:out", "mod4:out", "printCount:output", "printCountByValue:output", "printValues:output", "queue:out"]);
    expect(streams.get("mod4:out")!.id).toBe("mod4:out");
    await ssc.stop();
  });

  it("refuses a document with errors, naming the node", () => {
    const bad = doc([["q", "queue"], ["r", "reduceByKey"], ["p", "print"]], [["q", "r"], ["r", "p"]] as E[]);
    expect(() => compilePipeline(bad)).toThrow(PipelineCompileError);
    try {
      compilePipeline(bad);
    } catch (e) {
      expect((e as PipelineCompileError).nodeId).toBe("r");
      expect((e as PipelineCompileError).diagnostics.map((d) => d.code)).toEqual(["pair-input-plain"]);
    }
  });

  it("reports a record whose function throws on the node's error output and goes on", async () => {
    const d = doc([["q", "queue", { batches: [[1, 0, 2]] }], ["m", "map", { fn: "(x) => { if (x === 0) throw new Error('zero'); return 10 / x; }" }], ["p", "print"]], [["q", "m"], ["m", "p"]]);
    const errors: { nodeId: string; field?: string; message: string; record: unknown }[] = [];
    const printed: string[][] = [];
    await runDoc(d, 1, { sinks: { error: (e) => errors.push(e), print: (_n, lines) => printed.push(lines) } });
    expect(errors).toEqual([{ nodeId: "m", field: "fn", message: "zero", record: 0 }]);
    expect(printed.flat()).toEqual(expect.arrayContaining(["10", "5"]));
  });
});
