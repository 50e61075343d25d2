import { afterEach, describe, expect, test } from "vitest";
import { StreamingContext, TransactionGeneratorReceiver } from "../../../engine/index";
import { deterministicTransaction, formatTransactionLine, DETERMINISTIC_TRANSACTION_COUNT } from "../../../engine/sources/transactionLog";
import { manualContext, runBatches } from "./helpers";

const open: StreamingContext[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.stop();
});

function run(options: ConstructorParameters<typeof TransactionGeneratorReceiver>[0]) {
  const { ssc, clock } = manualContext();
  open.push(ssc);
  const batches: string[][] = [];
  ssc.transactionStream(options).foreachRDD((rdd) => {
    batches.push(rdd.collect());
  });
  ssc.start();
  return { ssc, clock, batches };
}

describe("transaction generator source", () => {
  test("deterministic mode sends the producer's 101 lines at (step + 1) * 50 ms intervals", async () => {
    const { ssc, clock, batches } = run({ mode: "deterministic" });
    // Send k happens at 50 * (1 + 2 + ... + (k+1)) ms after start: 50, 150, 300, ...
    const sendAt = (k: number) => (50 * (k + 1) * (k + 2)) / 2;
    const lastMs = sendAt(DETERMINISTIC_TRANSACTION_COUNT - 1);
    const numBatches = Math.ceil((lastMs + 1) / 1000);
    await runBatches(ssc, clock, numBatches);
    const expected: string[][] = Array.from({ length: numBatches }, () => []);
    for (let k = 0; k < DETERMINISTIC_TRANSACTION_COUNT; k++) {
      expected[Math.floor(sendAt(k) / 1000)].push(formatTransactionLine(deterministicTransaction(k), new Date(sendAt(k))));
    }
    expect(batches).toEqual(expected);
    expect(batches.flat()).toHaveLength(101);
    expect(batches[0].slice(0, 3).map((l) => l.split(",")[0])).toEqual(["0", "1", "2"]);
    expect(batches.flat()[4].split(",").slice(2)).toEqual(["123-ABC-789", "1073.12", "Gas"]);
  });

  test("timeScale speeds the producer up: the whole deterministic run fits in a few batches", async () => {
    const { ssc, clock, batches } = run({ mode: "deterministic", timeScale: 100 });
    await runBatches(ssc, clock, 3); // 257 550 ms / 100 = 2.6 s
    expect(batches.flat()).toHaveLength(101);
  });

  test("maxRatePerSecond caps the sending rate", async () => {
    const { ssc, clock, batches } = run({ mode: "deterministic", timeScale: 1000, maxRatePerSecond: 10 });
    await runBatches(ssc, clock, 3);
    expect(batches.map((b) => b.length)).toEqual([10, 10, 10]);
  });

  test("random mode is reproducible with a seed and keeps delays under 5 s", async () => {
    const a = run({ mode: "random", seed: 42 });
    await runBatches(a.ssc, a.clock, 30);
    await a.ssc.stop();
    const b = run({ mode: "random", seed: 42 });
    await runBatches(b.ssc, b.clock, 30);
    await b.ssc.stop();
    const c = run({ mode: "random", seed: 7 });
    await runBatches(c.ssc, c.clock, 30);
    expect(a.batches).toEqual(b.batches);
    expect(a.batches).not.toEqual(c.batches);
    expect(a.batches.flat().length).toBeGreaterThan(30 / 5); // one send at least every 5 s
    for (const line of a.batches.flat()) {
      const [id, , account, amount] = line.split(",");
      expect(Number.isInteger(Number(id))).toBe(true);
      expect(["123-ABC-789", "456-DEF-456", "333-XYZ-999", "987-CBA-321"]).toContain(account);
      expect(Number(amount)).toBeLessThan(5000);
    }
  });
});

