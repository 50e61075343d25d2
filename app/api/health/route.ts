import { NextResponse } from "next/server";
import { services } from "@/server/services";

export const dynamic = "force-dynamic";

/** GET /api/health: liveness and the database's reachability. */
export async function GET() {
  const { db, startedAt } = services();
  try {
    await db.pipeline.count();
    return NextResponse.json({ status: "ok", startedAt: startedAt.toISOString() });
  } catch (err) {
    return NextResponse.json({ status: "degraded", error: (err as Error).message }, { status: 503 });
  }
}
