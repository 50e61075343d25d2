import { beforeAll, describe, expect, it } from "vitest";
import { PIPELINE_SCHEMA_VERSION, type PipelineDocument } from "@/engine/pipeline/document";
import { ARTICLE_HISTORIC_AVERAGES, HISTORIC_AVERAGES_TABLE } from "@/engine/pipeline/samples";
import type { Database } from "@/server/db/client";
import { useFreshDatabase } from "./helpers/runs";
import { seedSamplePipelines } from "@/server/pipelines/seed";
import { RunHub } from "@/server/runs/RunHub";
import type { RunStatus } from "@/server/runs/types";
import { appendRows, loadTables, replaceRows } from "@/server/tables/store";

// Tables of the app's database as pipelines see them: a lookup join reads a table as it was
// when its run started; a database table output appends rows. Real SQLite, real worker threads.

const fresh = useFreshDatabase("dss-tables-");
let db: Database;
beforeAll(() => {
  db = fresh.db;
});

function lookupPipeline(): PipelineDocument {
  return {
    schemaVersion: PIPELINE_SCHEMA_VERSION,
    name: "lookup and write",
    description: "",
    settings: { batchIntervalMs: 200, checkpointing: { enabled: false }, concurrentJobs: 1 },
    nodes: [
      { id: "q", kind: "queue", position: { x: 0, y: 0 }, config: { batches: [[["123-ABC-789", 10], ["unknown", 1]]] } },
      { id: "pairs", kind: "mapToPair", position: { x: 0, y: 0 }, config: { fn: "(x) => x" } },
      { id: "historic", kind: "lookupJoin", position: { x: 0, y: 0 }, config: { table: HISTORIC_AVERAGES_TABLE, keyField: "account_number", valueField: "average_transaction" } },
      { id: "rows", kind: "map", position: { x: 0, y: 0 }, config: { fn: "([account, [amount, historicAvg]]) => ({ account, amount, historicAvg })" } },
      { id: "out", kind: "databaseTable", position: { x: 0, y: 0 }, config: { table: "joined" } },
    ],
    edges: [
      { id: "e1", source: "q", sourcePort: "out", target: "pairs", targetPort: "in" },
      { id: "e2", source: "pairs", sourcePort: "out", target: "historic", targetPort: "in" },
      { id: "e3", source: "historic", sourcePort: "out", target: "rows", targetPort: "in" },
      { id: "e4", source: "rows", sourcePort: "out", target: "out", targetPort: "in" },
    ],
  };
}

describe("database tables for pipelines", () => {
  it("a new installation holds the article's historic averages, once", async () => {
    await seedSamplePipelines(db);
    await seedSamplePipelines(db);
    const { [HISTORIC_AVERAGES_TABLE]: rows } = await loadTables(db, [HISTORIC_AVERAGES_TABLE]);
    expect(Object.fromEntries(rows.map((r) => [r.account_number, r.average_transaction]))).toEqual(ARTICLE_HISTORIC_AVERAGES);
  });

  it("refuses a row that is not an object, naming the table and the row", async () => {
    await expect(appendRows(db, "results", [{ a: 1 }, 7])).rejects.toThrow(/table "results": row 1 is not an object \(7\)/);
    expect(await db.tableRow.count({ where: { table: "results" } })).toBe(0);
  });

  it("a run joins with the table as it was at its start and appends its output rows", async () => {
    await replaceRows(db, HISTORIC_AVERAGES_TABLE, [{ account_number: "123-ABC-789", average_transaction: 42 }]);
    const statuses: RunStatus[] = [];
    const hub = new RunHub({
      db,
      frameIntervalMs: 50,
      broadcaster: { frame: () => undefined, status: (_id, s) => statuses.push(s), nodeError: () => undefined },
    });
    const runId = await hub.start(lookupPipeline(), null);
    const deadline = Date.now() + 60_000;
    while ((await db.tableRow.count({ where: { table: "joined" } })) === 0) {
      if (Date.now() > deadline) throw new Error(`no row written; statuses ${statuses.join(", ")}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    await hub.stop(runId);
    const written = (await loadTables(db, ["joined"])).joined;
    expect(written).toEqual([{ account: "123-ABC-789", amount: 10, historicAvg: 42 }]);
  });
});
