import { NextResponse } from "next/server";
import { guardStored, problem } from "@/server/pipelines/http";
import { duplicatePipeline } from "@/server/pipelines/repository";
import { services } from "@/server/services";

export const dynamic = "force-dynamic";
type Params = { params: Promise<{ id: string }> };

/** POST /api/pipelines/:id/duplicate: a new pipeline with this one's document, named "<name> (copy)"; 201 `{ id, name }`. */
export async function POST(_request: Request, { params }: Params) {
  const { id } = await params;
  return guardStored(async () => {
    const copy = await duplicatePipeline(services().db, id);
    return copy ? NextResponse.json(copy, { status: 201 }) : problem(404, `no pipeline with id ${id}`);
  });
}
