// Golden tests of the two fraud templates: the deterministic producer on a manual clock, the flags
// each template must raise worked out by hand (fraud-expected.ts, from the article's definitions)
// and compared batch by batch with what the pipeline's flags output reports.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { FraudFlag } from "@/engine/pipeline/fraud";
import type { PipelineDocument } from "@/engine/pipeline/document";
import {
  ARTICLE_HISTORIC_AVERAGES,
  fraudMapWithStateTemplate,
  fraudUpdateStateByKeyTemplate,
  historicAverageRows,
  HISTORIC_AVERAGES_TABLE,
} from "@/engine/pipeline/samples";
import { runDoc } from "./harness";
import { articleTransactions, byBatch, expectedMapWithStateFlags, expectedUpdateStateByKeyFlags, reduceFlag, sortFlags, type ExpectedFlag } from "./fraud-expected";

const BATCH = 5000;
const WINDOW = { windowMs: 10_000, slideMs: 10_000 };
/** The template's generator pace: 101 sends over 257.55 s at timeScale 1. */
const timeScaleOf = (d: PipelineDocument) => Number(d.nodes.find((n) => n.id === "transactions")!.config.timeScale);
/** Enough batches for the last transaction's window and two trailing windows after it. */
const lastBatchFor = (timeScale: number) => Math.ceil(articleTransactions(timeScale)[100].sentMs / WINDOW.slideMs) * WINDOW.slideMs + 2 * WINDOW.slideMs;

interface Run {
  /** batch time → the flags of that batch (one entry per call of the flags sink) */
  flags: Map<number, ExpectedFlag[]>;
  raw: FraudFlag[];
  tableReads: number;
  captured: Awaited<ReturnType<typeof runDoc>>;
}

async function run(d: PipelineDocument, lastBatchMs: number, historic: Readonly<Record<string, number>> = ARTICLE_HISTORIC_AVERAGES): Promise<Run> {
  const flags = new Map<number, ExpectedFlag[]>();
  const raw: FraudFlag[] = [];
  let tableReads = 0;
  const captured = await runDoc(d, lastBatchMs / d.settings.batchIntervalMs, {
    checkpointDir: fs.mkdtempSync(path.join(os.tmpdir(), "fraud-cp-")),
    readTable: (table) => {
      tableReads++;
      return table === HISTORIC_AVERAGES_TABLE ? historicAverageRows(historic) : [];
    },
    sinks: {
      flags: (nodeId, batchFlags, batchTimeMs) => {
        expect(nodeId).toBe("flags");
        expect(flags.has(batchTimeMs)).toBe(false);
        raw.push(...batchFlags);
        flags.set(batchTimeMs, sortFlags(batchFlags.map(reduceFlag)));
      },
    },
  });
  return { flags, raw, tableReads, captured };
}

const windowTimesUpTo = (last: number) => Array.from({ length: last / WINDOW.slideMs }, (_, i) => (i + 1) * WINDOW.slideMs);
const flaggedBatches = (m: Map<number, ExpectedFlag[]>) => [...m].filter(([, f]) => f.length > 0).map(([t]) => t);

describe("fraud template 1: window, updateStateByKey, historic join, two rules", () => {
  const timeScale = timeScaleOf(fraudUpdateStateByKeyTemplate);
  const last = lastBatchFor(timeScale);
  const batches = byBatch(articleTransactions(timeScale), BATCH);

  it("raises exactly the flags worked out by hand, batch by batch", async () => {
    const expected = expectedUpdateStateByKeyFlags(batches, ARTICLE_HISTORIC_AVERAGES, { ...WINDOW, lastBatchMs: last });
    const got = await run(fraudUpdateStateByKeyTemplate, last);
    // The window slides every 10 s over 5 s batches, so the state, the join and the flags output have
    // an RDD every second batch only: no call at all at 5 s, 15 s, ...
    expect([...got.flags.keys()]).toEqual(windowTimesUpTo(last));
    expect(got.flags).toEqual(expected);
    // The seed is meant to make both rules fire, only for 987-CBA-321, and not in every window.
    const rules = new Set([...expected.values()].flat().map((f) => `${f.account} ${f.rule}`));
    expect(rules).toEqual(new Set(["987-CBA-321 averageTx", "987-CBA-321 windowSpendingAvg"]));
    expect(flaggedBatches(expected).length).toBeLessThan(expected.size);
    // The table is read once per run and cached, as the article's storedHistoric.
    expect(got.tableReads).toBe(1);
  });

  it("states which batches flag and why (the article's pace, history 250 for 987-CBA-321)", () => {
    const expected = expectedUpdateStateByKeyFlags(batches, ARTICLE_HISTORIC_AVERAGES, { ...WINDOW, lastBatchMs: last });
    const at = (t: number) => (expected.get(t) ?? []).map((f) => `${f.rule}[${f.txIds.join(",")}]`);
    // 10 s: 306.21, 4322.33, 306.21, 4322.33 balance to 2314.27 > 2250, both averages.
    expect(at(10_000)).toEqual(["averageTx[3,7,11,15]", "windowSpendingAvg[3,7,11,15]"]);
    // 40 s: only a 306.21 in the window, the running average drops to 2091.15: nothing.
    expect(at(40_000)).toEqual([]);
    // 60 s: a lone 4322.33 (window 4322.33) brings the running average back to 2314.27.
    expect(at(60_000)).toEqual(["averageTx[47]", "windowSpendingAvg[47]"]);
    // 90 s: no transaction of the account, yet updateStateByKey still runs: windowSpendingAvg is 0
    // and the unchanged running average 2314.27 flags again, traced to no transaction.
    expect(at(90_000)).toEqual(["averageTx[]"]);
    // After the last transaction (99 at 255 s, in the 260 s window: 306.21 → 2233.95) nothing flags,
    // although the state is still updated every window.
    expect(at(260_000)).toEqual([]);
    expect(at(last)).toEqual([]);
  });

  it("changing one seeded average changes the flags, and the pipeline follows", async () => {
    const changed = { ...ARTICLE_HISTORIC_AVERAGES, "123-ABC-789": -1000 };
    const before = expectedUpdateStateByKeyFlags(batches, ARTICLE_HISTORIC_AVERAGES, { ...WINDOW, lastBatchMs: last });
    const after = expectedUpdateStateByKeyFlags(batches, changed, { ...WINDOW, lastBatchMs: last });
    expect(after).not.toEqual(before);
    // 123-ABC-789's lone 1073.12 windows are now 2073.12 above its history.
    expect([...after.values()].flat().some((f) => f.account === "123-ABC-789" && f.rule === "windowSpendingAvg")).toBe(true);
    const got = await run(fraudUpdateStateByKeyTemplate, last, changed);
    expect(got.flags).toEqual(after);
  });

  it("carries what the fraud panel shows: account, rule, numbers, batch, window and trace", async () => {
    const got = await run(fraudUpdateStateByKeyTemplate, 10_000);
    expect(got.raw).toContainEqual({
      account: "987-CBA-321",
      rule: "windowSpendingAvg",
      windowSpendingAvg: expect.closeTo(2314.27, 6),
      averageTx: expect.closeTo(2314.27, 6),
      historicAvg: 250,
      amount: null,
      threshold: 2000,
      batchTimeMs: 10_000,
      window: { startMs: 0, endMs: 10_000 },
      txIds: [3, 7, 11, 15],
      transactions: [3, 7, 11, 15].map((id) => expect.objectContaining({ id, account_number: "987-CBA-321" })),
    });
    // The trace carries the transactions themselves: their amounts make the window's average.
    const flag = got.raw.find((f) => f.rule === "windowSpendingAvg" && f.batchTimeMs === 10_000)!;
    const amounts = flag.transactions.map((tx) => tx.amount);
    expect(amounts).toEqual([306.21, 4322.33, 306.21, 4322.33]);
    expect(amounts.reduce((a, b) => a + b, 0) / amounts.length).toBeCloseTo(flag.windowSpendingAvg, 6);
  });
});

describe("fraud template 2: list windows with an inverse, mapWithState, amount > 4000", () => {
  const timeScale = timeScaleOf(fraudMapWithStateTemplate);
  const last = lastBatchFor(timeScale);
  const batches = byBatch(articleTransactions(timeScale), BATCH);

  it("flags every 4322.33 transaction once, in its window, batch by batch", async () => {
    const { flags: expected, finalState } = expectedMapWithStateFlags(batches, { ...WINDOW, lastBatchMs: last });
    const withSnapshots: PipelineDocument = {
      ...fraudMapWithStateTemplate,
      nodes: [...fraudMapWithStateTemplate.nodes, { id: "snapshotsCapture", kind: "deadLetters", position: { x: 0, y: 0 }, config: {} }],
      edges: [...fraudMapWithStateTemplate.edges, { id: "cap", source: "evaluate", sourcePort: "snapshots", target: "snapshotsCapture", targetPort: "in" }],
    };
    const got = await run(withSnapshots, last);
    // mapWithState's stream slides with its parent (10 s): output at window times only.
    expect([...got.flags.keys()]).toEqual(windowTimesUpTo(last));
    expect(got.flags).toEqual(expected);
    const ids = [...expected.values()].flat().flatMap((f) => f.txIds).sort((a, b) => a - b);
    expect(ids).toEqual([7, 15, 23, 31, 39, 47, 55, 63, 71, 79, 87, 95]);
    // The historic table is not part of this rule.
    expect(got.tableReads).toBe(0);
    // stateSnapshots: every account, to the end. The inverse reduce keeps each key as an empty list,
    // so mapWithState touches every account every window and the 30 s timeout never fires.
    const snapshots = got.captured.batches.get("snapshotsCapture")!;
    const lastSnapshot = new Map(snapshots[snapshots.length - 1] as [string, { numTx: number; totalSpending: number; windowSpendingAvg: number }][]);
    expect([...lastSnapshot.keys()].sort()).toEqual([...finalState.keys()].sort());
    for (const [account, agg] of finalState) {
      expect(lastSnapshot.get(account)!.numTx).toBe(agg.numTx);
      expect(lastSnapshot.get(account)!.totalSpending).toBeCloseTo(agg.totalSpending, 6);
      expect(lastSnapshot.get(account)!.windowSpendingAvg).toBe(0);
    }
    expect([...finalState.values()].map((a) => a.numTx).sort()).toEqual([25, 25, 25, 26]);
  });
});

describe("fraud templates on another source: unparsable lines", () => {
  for (const template of [fraudUpdateStateByKeyTemplate, fraudMapWithStateTemplate]) {
    it(`${template.name}: malformed lines reach the dead-letter output with their error`, async () => {
      const lines = ["0,01/15/2024,123-ABC-789,10.34,Drug Store", "garbage", "7,13/45/2024,987-CBA-321,4322.33,Misc", "8,01/15/2024,123-ABC-789,abc,Drug Store", "9,01/15/2024,987-CBA-321,4322.33,Misc"];
      const withQueue: PipelineDocument = {
        ...template,
        nodes: template.nodes.map((n) => (n.id === "transactions" ? { ...n, kind: "queue", config: { batches: [lines], oneAtATime: true } } : n)),
      };
      const got = await run(withQueue, 10_000);
      expect(got.captured.batches.get("unparsable")).toEqual([
        [
          { originalMessage: "garbage", error: expect.stringMatching(/expected 5 comma-separated fields/) },
          { id: 7, originalMessage: lines[2], error: 'date "13/45/2024" is not a valid MM/dd/yyyy date' },
          { id: 8, originalMessage: lines[3], error: 'amount "abc" is not a number' },
        ],
        [],
      ]);
      // The good 4322.33 line still raises its flag; the bad one (id 7) does not.
      expect(got.raw.flatMap((f) => f.txIds)).toContain(9);
      expect(got.raw.flatMap((f) => f.txIds)).not.toContain(7);
    });
  }
});
