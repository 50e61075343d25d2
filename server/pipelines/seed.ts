import { sampleTransactionsPipeline } from "../../engine/pipeline/samples";
import type { Database } from "../db/client";
import { createPipeline } from "./repository";

/** A new installation opens on a sample pipeline; an existing one is left as it is. */
export async function seedSamplePipelines(db: Database): Promise<void> {
  if ((await db.pipeline.count()) > 0) return;
  await createPipeline(db, sampleTransactionsPipeline);
}
