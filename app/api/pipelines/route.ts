import { NextResponse } from "next/server";
import { listPipelines } from "@/server/pipelines/repository";
import { services } from "@/server/services";

export const dynamic = "force-dynamic";

/** GET /api/pipelines: the pipelines of this installation, newest first. */
export async function GET() {
  return NextResponse.json({ pipelines: await listPipelines(services().db) });
}
