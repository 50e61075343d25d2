import { afterEach, describe, expect, test } from "vitest";
import { StreamingContext } from "../../../engine/index";
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
