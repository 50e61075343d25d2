import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as csvGet } from "@/app/api/runs/[runId]/flags/csv/route";
import { GET as facetsGet } from "@/app/api/runs/[runId]/flags/facets/route";
import { GET as flagsGet } from "@/app/api/runs/[runId]/flags/route";
import type { FraudFlag } from "@/engine/pipeline/fraud/flags";
import type { Database } from "@/server/db/client";
import { FLAG_CSV_COLUMNS } from "@/server/runs/http/flagsCsv";
import { RunHub } from "@/server/runs/RunHub";
import type { FlagReport } from "@/server/runs/types";
import { registerServices } from "@/server/services";
import { useFreshDatabase } from "./helpers/runs";

// The fraud panel's reads of a run's persisted flags, through the route handlers as Next.js calls
// them, on a real SQLite database: filters by account and rule, the filters' values with counts,
// and the CSV export under the same filters.

const fresh = useFreshDatabase("dss-flags-api-");
let db: Database;
let hub: RunHub;
const RUN = "run-flags";

const tx = (id: number, account: string, amount: number) => ({ id, date: "2024-01-01", account_number: account, amount, description: "Electronics" });
function report(i: number, account: string, rule: string): FlagReport {
  const flag: FraudFlag = {
    account,
    rule,
    windowSpendingAvg: 2314.27,
    averageTx: 2100 + i,
    historicAvg: rule.startsWith("amount") ? null : 250,
    amount: rule.startsWith("amount") ? 4322.33 : null,
    threshold: rule.startsWith("amount") ? 4000 : 2000,
    batchTimeMs: 10_000 * (i + 1),
    window: { startMs: 10_000 * i, endMs: 10_000 * (i + 1) },
    txIds: [i, i + 4],
    transactions: [tx(i, account, 306.21), tx(i + 4, account, 4322.33)],
  };
  return { nodeId: "flags", batchTimeMs: flag.batchTimeMs, flag };
}

beforeAll(async () => {
  db = fresh.db;
  hub = new RunHub({ db, checkpointRoot: fresh.dir, frameIntervalMs: 50, broadcaster: { frame: () => undefined, status: () => undefined, nodeError: () => undefined } });
  registerServices({ db, runs: hub, startedAt: new Date() });
  await db.run.create({ data: { id: RUN, document: "{}", status: "stopped" } });
  hub.records.flags(RUN, null, [
    report(0, "987-CBA-321", "windowSpendingAvg"),
    report(0, "987-CBA-321", "averageTx"),
    report(1, "123-ABC-789", "windowSpendingAvg"),
    report(2, "987-CBA-321", "windowSpendingAvg"),
    // Text a spreadsheet would run as a formula must come out inert.
    report(3, "=HYPERLINK(\"x\")", "amount>4000"),
  ]);
  await hub.records.flush();
});
afterAll(async () => {
  await hub?.stopAll();
});

const params = { params: Promise.resolve({ runId: RUN }) };
const url = (path: string, query = "") => new Request(`http://test/api/runs/${RUN}/${path}${query ? `?${query}` : ""}`);

describe("GET /api/runs/:runId/flags with the panel's filters", () => {
  it("keeps one account's flags, newest first, and counts them alone", async () => {
    const body = (await (await flagsGet(url("flags", "account=987-CBA-321"), params)).json()) as { items: { item: FlagReport }[]; total: number };
    expect(body.total).toBe(3);
    expect(body.items.map((i) => [i.item.flag.account, i.item.flag.rule, i.item.batchTimeMs])).toEqual([
      ["987-CBA-321", "windowSpendingAvg", 30_000],
      ["987-CBA-321", "averageTx", 10_000],
      ["987-CBA-321", "windowSpendingAvg", 10_000],
    ]);
  });

  it("combines the account and the rule", async () => {
    const body = (await (await flagsGet(url("flags", "account=987-CBA-321&rule=averageTx"), params)).json()) as { items: { item: FlagReport }[]; total: number };
    expect(body.total).toBe(1);
    expect(body.items[0].item.flag.transactions.map((t) => t.id)).toEqual([0, 4]);
  });

  it("with no filter, every flag of the run", async () => {
    const body = (await (await flagsGet(url("flags"), params)).json()) as { total: number; dropped: number };
    expect(body.total).toBe(5);
    expect(body.dropped).toBe(0);
  });

  it("stores a flag raised again (a run recovered from its checkpoint recomputes batches) once", async () => {
    hub.records.flags(RUN, null, [report(0, "987-CBA-321", "windowSpendingAvg"), report(0, "987-CBA-321", "windowSpendingAvg")]);
    await hub.records.flush();
    const body = (await (await flagsGet(url("flags"), params)).json()) as { total: number };
    expect(body.total).toBe(5);
  });

  it("says how many flags the per-batch caps left out", async () => {
    const other = "run-flags-capped";
    await db.run.create({ data: { id: other, document: "{}", status: "stopped" } });
    const reports = Array.from({ length: 103 }, (_, i) => ({ ...report(0, `acct-${i}`, "averageTx") }));
    hub.records.flags(other, null, reports);
    hub.records.noteDropped("flags", other, 7); // what the run's thread left out before sending
    await hub.records.flush();
    const body = (await (await flagsGet(new Request(`http://test/api/runs/${other}/flags`), { params: Promise.resolve({ runId: other }) })).json()) as { total: number; dropped: number };
    expect(body.total).toBe(100);
    expect(body.dropped).toBe(3 + 7);
  });
});

describe("GET /api/runs/:runId/flags/facets", () => {
  it("lists the accounts and rules with their counts, most flagged first", async () => {
    const res = await facetsGet(url("flags/facets"), params);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      accounts: [
        { value: "987-CBA-321", count: 3 },
        // Ties in the locale's order, where punctuation comes before digits.
        { value: '=HYPERLINK("x")', count: 1 },
        { value: "123-ABC-789", count: 1 },
      ],
      rules: [
        { value: "windowSpendingAvg", count: 3 },
        { value: "amount>4000", count: 1 },
        { value: "averageTx", count: 1 },
      ],
    });
  });

  it("answers 404 naming the run it does not know", async () => {
    const res = await facetsGet(url("flags/facets"), { params: Promise.resolve({ runId: "nope" }) });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: string }).error).toContain("nope");
  });
});

describe("GET /api/runs/:runId/flags/csv", () => {
  const parseCsv = (text: string) => text.trimEnd().split("\r\n");

  it("exports the filtered flags oldest first, one line each, as a download", async () => {
    const res = await csvGet(url("flags/csv", "rule=windowSpendingAvg"), params);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toBe(`attachment; filename="flags-${RUN}-windowSpendingAvg.csv"`);
    const [header, ...lines] = parseCsv(await res.text());
    expect(header).toBe(FLAG_CSV_COLUMNS.join(","));
    expect(lines).toHaveLength(3);
    const first = Object.fromEntries(header.split(",").map((c, i) => [c, lines[0].split(",")[i]]));
    expect(first).toMatchObject({
      run_id: RUN,
      node_id: "flags",
      batch_time: new Date(10_000).toISOString(),
      batch_time_ms: "10000",
      window_start_ms: "0",
      window_end_ms: "10000",
      account: "987-CBA-321",
      rule: "windowSpendingAvg",
      average_tx: "2100",
      window_spending_avg: "2314.27",
      historic_avg: "250",
      amount: "",
      threshold: "2000",
      transaction_ids: "0 4",
    });
    expect(lines.map((l) => l.split(",")[7])).toEqual(["987-CBA-321", "123-ABC-789", "987-CBA-321"]);
  });

  it("quotes what needs it and defuses formulas", async () => {
    const lines = parseCsv(await (await csvGet(url("flags/csv", "rule=amount>4000"), params)).text());
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(`,"'=HYPERLINK(""x"")",amount>4000,`);
  });

  it("with a filter nothing matches, the header alone", async () => {
    const lines = parseCsv(await (await csvGet(url("flags/csv", "account=000"), params)).text());
    expect(lines).toEqual([FLAG_CSV_COLUMNS.join(",")]);
  });
});
