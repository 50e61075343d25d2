import { afterEach, describe, expect, test } from "vitest";
import vm from "node:vm";
import { formatRecord, StreamingContext } from "../../../engine/index";
import { manualContext, runBatches } from "./helpers";

const open: StreamingContext[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.stop();
});

describe("print", () => {
  test("prints Spark's layout: dashes, time, dashes, num records, ..., empty line; empty batches too", async () => {
    const printed: string[] = [];
    const { ssc, clock } = manualContext({ printSink: (text) => printed.push(text) });
    open.push(ssc);
    const queue = [ssc.sc.makeRDD([1, 2, 3, 4]), ssc.sc.makeRDD([5, 6])];
    const s = ssc.queueStream(queue);
    s.print(3);
    s.map((x) => [String(x % 2), x] as [string, number]).reduceByKey((a, b) => a + b, 1).print();
    ssc.start();
    await runBatches(ssc, clock, 3);
    const dashes = "-------------------------------------------";
    expect(printed[0]).toBe(`${dashes}\nTime: 1000 ms\n${dashes}\n1\n2\n3\n...\n\n`);
    expect(printed[1]).toBe(`${dashes}\nTime: 1000 ms\n${dashes}\n(1,4)\n(0,6)\n\n`);
    expect(printed[2]).toBe(`${dashes}\nTime: 2000 ms\n${dashes}\n5\n6\n\n`);
    expect(printed[4]).toBe(`${dashes}\nTime: 3000 ms\n${dashes}\n\n`);
    expect(printed).toHaveLength(6);
  });
});

describe("formatRecord", () => {
  test("tuples as Scala prints them, objects as JSON, also inside tuples", () => {
    expect(formatRecord(["a", 1])).toBe("(a,1)");
    expect(formatRecord(["a", [1, undefined]])).toBe("(a,(1,None))");
    expect(formatRecord({ word: "is", count: 2 })).toBe('{"word":"is","count":2}');
    expect(formatRecord(["acct", { amount: 10.5 }])).toBe('(acct,{"amount":10.5})');
    expect(formatRecord(new Map([["k", 1]]))).toBe("Map(k -> 1)");
  });
  test("objects made in a user function's realm print as JSON, never [object Object]", () => {
    const fromSandbox = vm.runInNewContext("({ a: 1, nested: { b: [1, 2] } })") as object;
    expect(formatRecord(fromSandbox)).toBe('{"a":1,"nested":{"b":[1,2]}}');
    expect(formatRecord(["k", fromSandbox])).toBe('(k,{"a":1,"nested":{"b":[1,2]}})');
    expect(formatRecord(vm.runInNewContext("new Map([['x', 2]])"))).toBe("Map(x -> 2)");
    expect(formatRecord(Object.create(null))).toBe("{}");
  });
  test("a class's own toString is used; bigints, nested maps and cycles do not throw", () => {
    class Point {
      constructor(readonly x: number) {}
      toString() {
        return `Point(${this.x})`;
      }
    }
    expect(formatRecord(new Point(3))).toBe("Point(3)");
    expect(formatRecord({ n: 10n, m: new Map([["a", 1]]), s: new Set([1]) })).toBe('{"n":"10","m":{"a":1},"s":[1]}');
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(formatRecord(cyclic)).toBe('{"a":1,"self":"[Circular]"}');
    const shared = { v: 1 };
    expect(formatRecord({ x: shared, y: shared })).toBe('{"x":{"v":1},"y":{"v":1}}');
  });
});
