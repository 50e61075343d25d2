import { NextResponse } from "next/server";
import { z } from "zod";
import { cqlIdentifier, parseContactPoints } from "@/engine/sources/cassandra/cluster";
import { inspectCassandraTable } from "@/engine/sources/cassandra/inspectTable";
import { problem, readJson } from "@/server/pipelines/http";

export const dynamic = "force-dynamic";

const request = z.object({
  contactPoints: z.array(z.string().max(300)).min(1).max(16),
  localDataCenter: z.string().min(1).max(100),
  keyspace: z.string().max(100),
  table: z.string().max(100),
});

/**
 * POST /api/cassandra/table `{ contactPoints, localDataCenter, keyspace, table }`: what the editor
 * needs to check a lookup join's columns: `{ kind: "columns", columns }`, `{ kind: "missing",
 * message }` (the keyspace or table, with what exists) or `{ kind: "unreachable", message }`. The
 * same cluster a run of the pipeline would connect to; a bad name or contact point is a 400.
 */
export async function POST(req: Request) {
  const read = await readJson(req);
  if (!read.ok) return read.response;
  const parsed = request.safeParse(read.body);
  if (!parsed.success) return problem(400, "expected { contactPoints: string[], localDataCenter, keyspace, table }", { issues: parsed.error.issues });
  let ref;
  try {
    ref = {
      contactPoints: parseContactPoints(parsed.data.contactPoints),
      localDataCenter: parsed.data.localDataCenter,
      keyspace: cqlIdentifier(parsed.data.keyspace, "keyspace"),
      table: cqlIdentifier(parsed.data.table, "table"),
    };
  } catch (e) {
    return problem(400, (e as Error).message);
  }
  return NextResponse.json(await inspectCassandraTable(ref));
}
