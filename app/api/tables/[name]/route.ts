import { NextResponse } from "next/server";
import { z } from "zod";
import { problem, readJson } from "@/server/pipelines/http";
import { tableRowProblems } from "@/engine/pipeline/tableColumns";
import { services } from "@/server/services";
import { loadTables, replaceRows } from "@/server/tables/store";

export const dynamic = "force-dynamic";
type Params = { params: Promise<{ name: string }> };

const tableName = z.string().regex(/^[A-Za-z0-9_.-]{1,100}$/, "a table name holds 1 to 100 letters, digits and _ . -");
const cell = z.union([z.string().max(10_000), z.number().finite(), z.boolean(), z.null()]);
const rows = z.array(z.record(z.string().min(1).max(100), cell)).max(10_000, "at most 10,000 rows per table");

/** GET /api/tables/:name: the rows of a table of the app's database, oldest first. */
export async function GET(_request: Request, { params }: Params) {
  const name = tableName.safeParse((await params).name);
  if (!name.success) return problem(400, name.error.issues[0].message);
  const { [name.data]: found } = await loadTables(services().db, [name.data]);
  return NextResponse.json({ table: name.data, rows: found });
}

/**
 * PUT /api/tables/:name `{ rows }`: replaces the table's rows. Runs read their lookup tables when
 * they start, so the change takes effect on the next run. A bad payload is refused whole (400).
 */
export async function PUT(request: Request, { params }: Params) {
  const name = tableName.safeParse((await params).name);
  if (!name.success) return problem(400, name.error.issues[0].message);
  const read = await readJson(request);
  if (!read.ok) return read.response;
  const parsed = z.object({ rows }).safeParse(read.body);
  if (!parsed.success) return problem(400, `invalid rows for table "${name.data}"`, { issues: parsed.error.issues });
  const problems = tableRowProblems(name.data, parsed.data.rows);
  if (problems.length) return problem(400, `invalid rows for table "${name.data}"`, { problems });
  await replaceRows(services().db, name.data, parsed.data.rows);
  return NextResponse.json({ table: name.data, rows: parsed.data.rows, note: "runs read tables when they start: the change takes effect on the next run" });
}
